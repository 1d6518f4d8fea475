using Kan.Pde.Runner.Spec;
using NUnit.Framework;
using static Kan.Pde.Tests.Spec.SpecExample;

namespace Kan.Pde.Tests.Spec;

public class SpecLoaderErrorTests
{
    private const string File = "bad.yaml";

    /// <summary>Parses, expects a SpecException at <paramref name="line"/> for <paramref name="field"/>, returns it.</summary>
    private static SpecException Fails(string yaml, int line, string field, string fragment)
    {
        var ex = Assert.Throws<SpecException>(() => SpecLoader.Parse(yaml, File))!;
        Assert.Multiple(() =>
        {
            Assert.That(ex.Message, Does.StartWith($"{File}:{line}:"));
            Assert.That(ex.Message, Does.Contain($": field '{field}': "));
            Assert.That(ex.Message, Does.Contain(fragment));
            Assert.That(ex.Message, Does.Not.Contain("\n"));
            Assert.That(ex.Line, Is.EqualTo(line));
            Assert.That(ex.Field, Is.EqualTo(field));
        });
        return ex;
    }

    // ---- model ----

    [Test]
    public void FirstWidthMustBeTheDimension()
    {
        var ex = Fails(WithLine("widths:", "  widths: [3, 2, 1]"), LineOf("widths:"), "model.widths[0]",
            "the first width must equal the domain dimension 2, got 3");
        Assert.That(ex.Column, Is.EqualTo(12));
    }

    [Test]
    public void LastWidthMustBeOne() =>
        Fails(WithLine("widths:", "  widths: [2, 2, 4]"), LineOf("widths:"), "model.widths[2]", "the last width must be 1 (poisson has the output u), got 4");

    [Test]
    public void TooFewWidths() =>
        Fails(WithLine("widths:", "  widths: [2]"), LineOf("widths:"), "model.widths", "at least 2");

    [Test]
    public void ScalarWhereAListIsExpected() =>
        Fails(WithLine("widths:", "  widths: 2"), LineOf("widths:"), "model.widths", "expected a list, got '2'");

    [Test]
    public void MappingWhereAListIsExpected() =>
        Fails(WithLine("widths:", "  widths: {a: 1}"), LineOf("widths:"), "model.widths", "expected a list, got a mapping");

    [Test]
    public void TextWhereANumberIsExpected() =>
        Fails(WithLine("widths:", "  widths: [2, two, 1]"), LineOf("widths:"), "model.widths[1]", "expected an integer in [1, 1000000], got 'two'");

    [Test]
    public void QuotedNumberIsText() =>
        Fails(WithLine("grid: 5", "  grid: '5'"), LineOf("grid: 5"), "model.grid", "got the quoted text '5'");

    [Test]
    public void ZeroGridIsRefused() =>
        Fails(WithLine("grid: 5", "  grid: 0"), LineOf("grid: 5"), "model.grid", "out of range");

    [Test]
    public void OrderAboveFiveIsRefused() =>
        Fails(WithLine("order:", "  order: 6"), LineOf("order:"), "model.order", "in [1, 5]");

    [Test]
    public void NaNIsRefused() =>
        Fails(WithLine("grid_eps:", "  grid_eps: .nan"), LineOf("grid_eps:"), "model.grid_eps", "finite");

    [Test]
    public void UnknownFieldNamesTheAlternatives() =>
        Fails(WithLineAfter("type: kan", "  depth: 3"), LineOf("type: kan") + 1, "model.depth",
            "unknown field 'depth' (expected one of: type, widths, outputs, input_scaling, hard_boundary, grid, order, grid_range, grid_eps, base_activation, activation)");

    [Test]
    public void KeysOfTheOtherModelTypeAreRefused() =>
        Fails(WithLine("type: kan", "  type: mlp"), LineOf("grid: 5"), "model.grid", "only for model type kan (this model is mlp)");

    [Test]
    public void UnknownModelType() =>
        Fails(WithLine("type: kan", "  type: cnn"), LineOf("type: kan"), "model.type", "unsupported value 'cnn' (expected one of: kan, mlp)");

    // ---- required fields: reported at the mapping that lacks them ----

    [Test]
    public void MissingNameIsReportedAtTheRootMapping() =>
        Fails(WithoutLine("name:"), LineOf("name:"), "name", "required field is missing");

    [Test]
    public void MissingFamilyIsReportedAtTheProblemMapping() =>
        Fails(WithoutLine("family:"), LineOf("problem:") + 1, "problem.family", "required field is missing");

    [Test]
    public void MissingStepsIsReportedAtTheStage()
    {
        string yaml = WithLine("- {optimizer: lbfgs, steps: 10, grid: 5,", "  - {optimizer: lbfgs, grid: 5}");
        Fails(yaml, LineOf("schedule:") + 1, "schedule[0].steps", "required field is missing");
    }

    [Test]
    public void EmptyValueOfARequiredField() =>
        Fails(WithLine("type: kan", "  type:"), LineOf("type: kan"), "model.type", "missing value");

    [Test]
    public void SourceIsRequiredWithoutExact() =>
        Fails(WithoutLine("exact:"), LineOf("problem:") + 1, "problem.source", "required when 'exact' is absent");

    // ---- YAML itself ----

    [Test]
    public void TabsInIndentation() =>
        Fails(WithLine("order:", "\torder: 3"), LineOf("order:"), "(yaml)", "tab character");

    [Test]
    public void DuplicateKeys() =>
        Fails(WithLineAfter("order:", "  order: 4"), LineOf("order:") + 1, "(yaml)", "invalid YAML");

    [Test]
    public void MalformedYaml() =>
        Fails(WithLine("widths:", "  widths: [2, 2, 1"), LineOf("widths:"), "(yaml)", "invalid YAML");

    [Test]
    public void UnclosedQuote() =>
        Fails(WithLine("exact:", "  exact: \"sin(pi*x)"), LineOf("exact:"), "(yaml)", "invalid YAML");

    [Test]
    public void ControlCharacters() =>
        Fails(WithLine("exact:", "  exact: sin(pi*x)\0"), LineOf("exact:"), "(yaml)", "character U+0000 is not allowed");

    [TestCase("")]
    [TestCase("# nothing but a comment\n")]
    [TestCase("~")]
    public void EmptyFile(string yaml) => Fails(yaml, 1, "(root)", "the spec is empty");

    [Test]
    public void RootMustBeAMapping() => Fails("- 1\n- 2\n", 1, "(root)", "expected a mapping");

    [Test]
    public void OneDocumentOnly() => Fails(Text + "\n---\nname: second\n", Text.Split('\n').Length + 2, "(yaml)", "expected one YAML document");

    [Test]
    public void DeepYamlNesting() => Fails("name: " + new string('[', 10_000), 1, "(yaml)", "nested more than");

    // ---- problem ----

    [Test]
    public void InfiniteBound() =>
        Fails(WithLine("x: [-1, 1]", "    x: [-1, .inf]"), LineOf("x: [-1, 1]"), "problem.domain.x[1]", "finite");

    [Test]
    public void EmptyInterval() =>
        Fails(WithLine("x: [-1, 1]", "    x: [1, -1]"), LineOf("x: [-1, 1]"), "problem.domain.x", "expected lo < hi");

    [Test]
    public void AxesInTheWrongOrder()
    {
        string yaml = WithLine("x: [-1, 1]", "    y: [-1, 1]");
        yaml = yaml.Replace("    y: [-1, 1]\n    y: [-1, 1]", "    y: [-1, 1]\n    x: [-1, 1]");
        Fails(yaml, LineOf("x: [-1, 1]"), "problem.domain.y", "coordinates must be named x, y in this order");
    }

    [Test]
    public void UnknownAxis() =>
        Fails(WithLine("y: [-1, 1]", "    w: [0, 1]"), LineOf("y: [-1, 1]"), "problem.domain.w", "unknown field 'w'");

    [Test]
    public void UnsupportedFamily() =>
        Fails(WithLine("family:", "  family: heat"), LineOf("family:"), "problem.family", "unsupported value 'heat' (expected one of: poisson, navier-stokes, helmholtz, landscape, schrodinger)");

    [Test]
    public void ExpressionErrorsPointIntoTheLine()
    {
        var plain = Fails(WithLine("exact:", "  exact: sin(pi*x)*sinn(pi*y)"), LineOf("exact:"), "problem.exact",
            "unknown function 'sinn' at column 11");
        Assert.That(plain.Column, Is.EqualTo(10 + 10)); // the value starts in column 10; 'sinn' is 10 characters in

        var quoted = Fails(WithLine("exact:", "  exact: \"sin(pi*x)*sinn(pi*y)\""), LineOf("exact:"), "problem.exact", "unknown function");
        Assert.That(quoted.Column, Is.EqualTo(10 + 1 + 10));
    }

    [Test]
    public void ExpressionsUseTheDomainVariables() =>
        Fails(WithLine("exact:", "  exact: sin(pi*z)"), LineOf("exact:"), "problem.exact", "unknown variable 'z' at column 8 (allowed: x, y)");

    [Test]
    public void FaceOutsideTheDomain() =>
        Fails(WithLine("- on: all", "    - on: z-min"), LineOf("- on: all"), "problem.boundary[0].on", "unknown boundary part 'z-min' (expected one of: all, x-min, x-max, y-min, y-max)");

    [Test]
    public void FaceCoveredTwice()
    {
        string yaml = WithLineAfter("value: 0", "    - {on: x-min, value: 1}");
        Fails(yaml, LineOf("value: 0") + 1, "problem.boundary[1].on", "boundary part x-min is already covered by problem.boundary[0]");
    }

    [Test]
    public void UncoveredFaces()
    {
        string yaml = WithLine("- on: all", "    - on: x-min");
        Fails(yaml, LineOf("- on: all"), "problem.boundary", "no condition for boundary part(s) x-max, y-min, y-max");
    }

    [Test]
    public void BoundaryValueIsRequiredWithoutExact()
    {
        string yaml = WithoutLine("value: 0").Replace("  exact: sin(pi*x)*sin(pi*y)", "  source: 1");
        Fails(yaml, LineOf("- on: all"), "problem.boundary[0].value", "defaults to the exact solution only when 'problem.exact' is given");
    }

    // ---- collocation, loss, schedule, evaluation ----

    [Test]
    public void TooManyPointsAreRefusedUpFront() =>
        Fails(WithLine("interior:", "  interior: {sampler: mesh, points: [3000, 3000]}"), LineOf("interior:"), "collocation.interior.points",
            "this asks for 9000000 points; at most 5000000 are allowed");

    [Test]
    public void TooManyBoundaryPoints() =>
        Fails(WithLine("boundary: {sampler", "  boundary: {sampler: random, count: 6000000}"), LineOf("boundary: {sampler"),
            "collocation.boundary.count", "at most 5000000");

    [Test]
    public void MeshNeedsOneCountPerDimension() =>
        Fails(WithLine("interior:", "  interior: {sampler: mesh, points: [51, 51, 51]}"), LineOf("interior:"), "collocation.interior.points",
            "expected 2 point count(s), one per coordinate, got 3");

    [Test]
    public void MeshNeedsAtLeastTwoPoints() =>
        Fails(WithLine("boundary: {sampler", "  boundary: {sampler: mesh, points: 1}"), LineOf("boundary: {sampler"),
            "collocation.boundary.points", "expected an integer >= 2");

    [Test]
    public void RandomSamplerTakesCount() =>
        Fails(WithLine("interior:", "  interior: {sampler: random, points: 5}"), LineOf("interior:"), "collocation.interior.points",
            "the random sampler takes 'count'");

    [Test]
    public void CheckpointsRefuseAdaptiveTraining()
    {
        string yaml = WithLine("interior:", "  interior: {sampler: sobol, count: 500}\n  resample_every: 10").TrimEnd('\n') + "\ncheckpoint: {every_steps: 5}\n";
        int line = yaml.Split('\n').ToList().FindIndex(l => l.StartsWith("checkpoint:")) + 1;
        Fails(yaml, line, "checkpoint", "checkpoints do not capture the state of adaptive training yet");
    }

    [Test]
    public void NegativeWeight() =>
        Fails(WithLine("weights:", "  weights: {pde: -0.5}"), LineOf("weights:"), "loss.weights.pde", "out of range (expected a number >= 0)");

    [Test]
    public void WeightOfATermTheProblemDoesNotHave() =>
        Fails(WithLine("weights:", "  weights: {pde: 1, momentum: 2}"), LineOf("weights:"), "loss.weights.momentum",
            "unknown field 'momentum' (expected one of: pde, boundary)");

    [Test]
    public void TimeCoordinateMustComeLast() =>
        Fails(WithLine("x: [-1, 1]", "    t: [0, 1]\n    x: [-1, 1]"), LineOf("x: [-1, 1]"), "problem.domain.t",
            "the time interval t must come after the space coordinates");

    [Test]
    public void PoissonHasNoTimeCoordinate() =>
        Fails(WithLine("y: [-1, 1]", "    y: [-1, 1]\n    t: [0, 1]"), LineOf("domain:") + 1, "problem.domain",
            "poisson is stationary");

    [Test]
    public void UnknownFamily() =>
        Fails(WithLine("family:", "  family: maxwell"), LineOf("family:"), "problem.family", "unsupported value 'maxwell'");

    [Test]
    public void KeysOfTheFamilyAreChecked() =>
        Fails(WithLine("family:", "  family: poisson\n  viscosity: 1"), LineOf("family:") + 1, "problem.viscosity",
            "unknown field 'viscosity'");

    [Test]
    public void SeparateOutputsNeedOneOutputPerNetwork() =>
        Fails(WithLine("widths:", "  widths: [2, 2, 2]\n  outputs: separate"), LineOf("widths:"), "model.widths[2]",
            "with outputs: separate each output (u) has its own network, so the last width must be 1, got 2");

    [Test]
    public void EmptySchedule() =>
        Fails(System.Text.RegularExpressions.Regex.Replace(Text.Replace("\r\n", "\n"), @"schedule:\n(  - .*\n)+", "schedule: []\n"),
            LineOf("schedule:"), "schedule", "expected at least one stage");

    [Test]
    public void ZeroSteps() =>
        Fails(WithLine("- {optimizer: lbfgs, steps: 20, grid: 10,", "  - {optimizer: lbfgs, steps: 0}"), LineOf("schedule:") + 2,
            "schedule[1].steps", "out of range");

    [Test]
    public void GridUpdateOutsideTheStage() =>
        Fails(WithLine("- {optimizer: lbfgs, steps: 10, grid: 5,", "  - {optimizer: lbfgs, steps: 10, grid_update_at: [0, 5, 10]}"),
            LineOf("schedule:") + 1, "schedule[0].grid_update_at[2]", "step 10 is outside this stage's steps 0..9");

    [Test]
    public void LbfgsSettingsOnAdam() =>
        Fails(WithLine("- {optimizer: lbfgs, steps: 10, grid: 5,", "  - {optimizer: adam, steps: 10, history: 5}"),
            LineOf("schedule:") + 1, "schedule[0].history", "only for lbfgs stages");

    [Test]
    public void RestartTrialsLongerThanTheFirstStage() =>
        Fails(WithLine("restarts:", "restarts: {candidates: 4, steps: 11}"), LineOf("restarts:"), "restarts.steps",
            "trial steps (11) exceed the first stage's steps (10)");

    [Test]
    public void RestartsNeedCandidates() =>
        Fails(WithLine("restarts:", "restarts: {steps: 5}"), LineOf("restarts:"), "restarts.candidates", "missing");

    [Test]
    public void GridStagesNeedAKan()
    {
        // Drop the four kan-only model keys (whatever their values and comments).
        string yaml = System.Text.RegularExpressions.Regex.Replace(WithLine("type: kan", "  type: mlp"),
            @"^  (grid|order|grid_range|grid_eps):.*\n", "", System.Text.RegularExpressions.RegexOptions.Multiline);
        Fails(yaml, LineOf("schedule:") - 4 + 1, "schedule[0].grid", "only for kan models");
    }

    [Test]
    public void NonPositiveLearningRate() =>
        Fails(WithLine("- {optimizer: lbfgs, steps: 10, grid: 5,", "  - {optimizer: adam, steps: 10, learning_rate: 0}"),
            LineOf("schedule:") + 1, "schedule[0].learning_rate", "expected a number > 0");

    [Test]
    public void EvaluationMeshTooLarge() =>
        Fails(WithLine("points: [101, 101]", "  points: 3000"), LineOf("points: [101, 101]"), "evaluation.points", "at most 5000000");

    // ---- top-level settings ----

    [Test]
    public void BadName() =>
        Fails(WithLine("name:", "name: my run"), LineOf("name:"), "name", "invalid name 'my run'");

    [Test]
    public void BadDevice() =>
        Fails(WithLine("device:", "device: gpu"), LineOf("device:"), "device", "expected cpu, cuda or cuda:N");

    [Test]
    public void BadDtype() =>
        Fails(WithLine("dtype:", "dtype: float16"), LineOf("dtype:"), "dtype", "expected one of: float64, float32");

    [Test]
    public void ZeroThreads() =>
        Fails(WithLineAfter("seed:", "threads: 0"), LineOf("seed:") + 1, "threads", "out of range");

    [Test]
    public void HugeInteger() =>
        Fails(WithLine("seed:", "seed: 99999999999999999999999"), LineOf("seed:"), "seed", "out of range");
}

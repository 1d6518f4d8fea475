#!/usr/bin/python3
# Reads a run's fields.vtk with VTK's own reader (Debian: apt-get install python3-vtk9; run with /usr/bin/python3)
# and compares every array at every point with fields.csv, matching points by their coordinates.
# usage: tools/vtk-check.py RESULTS/fields.vtk RESULTS/fields.csv
import sys, csv, vtk
r = vtk.vtkRectilinearGridReader()
r.SetFileName(sys.argv[1]); r.Update()  # default settings
g = r.GetOutput()
print("vtk", vtk.vtkVersion.GetVTKVersion(), "reader errors:", r.GetErrorCode(), "dims", g.GetDimensions(), "points", g.GetNumberOfPoints())
pd = g.GetPointData()
arrays = {pd.GetArrayName(i): pd.GetArray(i) for i in range(pd.GetNumberOfArrays())}
for name, a in arrays.items():
    vals = [a.GetValue(p) for p in range(a.GetNumberOfTuples())]
    print(" ", name, a.GetDataTypeAsString(), a.GetNumberOfTuples(), "min", min(vals), "max", max(vals))
rows = list(csv.reader(open(sys.argv[2])))
hdr = rows[0]; data = [[float(v) for v in row] for row in rows[1:]]
nd = len([h for h in hdr if h in ('x', 'y', 'z', 't')])
lookup = {tuple(row[:nd]): row for row in data}
maxdiff = 0.0; matched = 0
for p in range(g.GetNumberOfPoints()):
    c = tuple(g.GetPoint(p)[:nd]); row = lookup[c]; matched += 1
    for j, name in enumerate(hdr[nd:]):
        maxdiff = max(maxdiff, abs(arrays[name].GetValue(p) - row[nd + j]))
print("points matched to CSV rows by coordinates:", matched, "of", len(data), "; max |vtk - csv| over all fields:", maxdiff)

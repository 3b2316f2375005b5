# Regenerates tests/data/sm2_reference_table.rs from the reference implementation:
#   python3 -m venv /tmp/sm2ref && /tmp/sm2ref/bin/pip install supermemo2==3.0.1
#   /tmp/sm2ref/bin/python tests/data/gen_sm2_reference_table.py > tests/data/sm2_reference_table.rs
from supermemo2 import first_review, review
seqs = [
 [4,4,4,4,4], [5,5,5,5,5,5], [3,3,3,3,3,3], [0], [1,4,4], [2,2,2],
 [5,4,3,1,4], [3,3,3,3,3,3,3,3,3,3], [0,0,0,0,0,0,0,0], [5,5,5,5,5,5,5,5,5,5,5,5],
 [4,3,4,3,4,3,4], [5,3,3,3,3,3,3,3], [1,1,1,1,3,3,3,3,3], [4,4,4,1,4,4,4,4],
 [5,5,2,5,5,5], [3,4,5,3,4,5,3,4,5], [0,5,0,5,0,5], [4,4,4,4,4,4,4,4,4,4],
 [3,5,5,5,5,5,5], [5,5,5,5,0,3,3,3,3,3], [2,3,4,5,4,3,2,3,4,5],
 [3,3,3,3,3,4,4,4,4,4,4], [1,2,3,4,3], [1,2,3,4,3,4,4,4], [5,4,4,4,4,4,4,4], [4,4,3,3,3,3,5,5,5,5,5],
]
print("// Generated with the reference: pip install supermemo2==3.0.1; first_review() then review()")
print("// on each due day. Each step is (repetitions, ease, interval).")
print("/// (repetitions, ease, interval) after one answer.\npub type Step = (u32, f64, u32);\n\npub const TABLE: &[(&[u8], &[Step])] = &[")
for s in seqs:
    steps = []
    r = first_review(s[0], "2024-01-01")
    steps.append((r["repetitions"], r["easiness"], r["interval"]))
    for q in s[1:]:
        r = review(q, r["easiness"], r["interval"], r["repetitions"], r["review_datetime"])
        steps.append((r["repetitions"], r["easiness"], r["interval"]))
    print("    (")
    print("        &%s," % repr(s).replace(" ", ""))
    print("        &[")
    for n, e, i in steps:
        es = repr(float(e))
        print("            (%d, %s, %d)," % (n, es, i))
    print("        ],")
    print("    ),")
print("];")

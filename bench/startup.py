"""`import sigdef` vs `import tensorflow`, as process wall time over a bare interpreter."""

from __future__ import annotations

from .timing import Row, process_wall, python, tensorflow


def run(quick: bool) -> list[Row]:
    repeat = 5 if quick else 21
    bare = process_wall(python("pass"), repeat=repeat)
    mine = process_wall(python("import sigdef"), repeat=repeat)
    used = process_wall(python("import sigdef", "sigdef.classification_signature_def"), repeat=repeat)
    cost = max(mine.median - bare.median, 1e-6)
    note = f"bare interpreter {bare.ms()}; import + first builder (loads protobuf) {used.ms()}"
    if quick or tensorflow() is None:
        return [Row("import cost: python -c 'import sigdef'", f"{cost * 1e3:.1f} ms", "skipped (no TF)", None, ">= 50x less than TF", None, note)]
    tf = process_wall(python("import tensorflow"), repeat=max(3, repeat // 4))
    tf_cost = tf.median - bare.median
    ratio = tf_cost / cost
    return [Row("import cost: python -c 'import sigdef'", f"{cost * 1e3:.1f} ms", f"{tf_cost * 1e3:.0f} ms (import tensorflow)", ratio, ">= 50x less than TF", ratio >= 50, note)]

"""sigdef.make_tensor_proto vs tf.make_tensor_proto: in process, and as whole processes."""

from __future__ import annotations

from typing import Any

from .timing import Row, interleaved, process_wall, python, tensorflow

TARGET_CALL = ">= 5x faster"
TARGET_PROCESS = ">= 30x faster"
FLOATS = [i * 0.001 - 0.5 for i in range(1000)]
PROCESS_SIGDEF = ("import sigdef", "sigdef.make_tensor_proto([i * 0.5 for i in range(1000)]).SerializeToString()")
PROCESS_TF = ("import tensorflow as tf", "tf.make_tensor_proto([i * 0.5 for i in range(1000)]).SerializeToString()")


def _row(name: str, mine: Any, theirs: Any, fmt: str, target: str, quick: bool, note: str = "", need: float = 5.0) -> Row:
    ratio = theirs.median / mine.median
    return Row(name, getattr(mine, fmt)(), f"{getattr(theirs, fmt)()} TF 2.21", ratio, target, None if quick else ratio >= need, note)


def run(quick: bool) -> list[Row]:
    import sigdef

    tf = None if quick else tensorflow()
    rows: list[Row] = []
    number, repeat = (50, 3) if quick else (2000, 15)
    name_list = "make_tensor_proto, 1,000-float list"
    if tf is None:
        mine = interleaved({"sigdef": lambda: sigdef.make_tensor_proto(FLOATS)}, number=number, repeat=repeat)["sigdef"]
        rows.append(Row(name_list, mine.us(), "skipped (no TF)", None, TARGET_CALL, None))
    else:
        t = interleaved(
            {"sigdef": lambda: sigdef.make_tensor_proto(FLOATS), "tf": lambda: tf.make_tensor_proto(FLOATS)},
            number=number, repeat=repeat,
        )
        assert sigdef.make_tensor_proto(FLOATS).SerializeToString() == tf.make_tensor_proto(FLOATS).SerializeToString()
        rows.append(_row(name_list, t["sigdef"], t["tf"], "us", TARGET_CALL, quick))
    rows.extend(_numpy_rows(sigdef, tf, quick))
    repeat_p = 3 if quick else 7
    mine_p = process_wall(python(*PROCESS_SIGDEF), repeat=repeat_p)
    name_p = "process: python -c import + make_tensor_proto(1,000 floats) + serialize"
    if tf is None:
        rows.append(Row(name_p, mine_p.ms(), "skipped (no TF)", None, TARGET_PROCESS, None))
    else:
        theirs_p = process_wall(python(*PROCESS_TF), repeat=3)
        rows.append(_row(name_p, mine_p, theirs_p, "ms", TARGET_PROCESS, quick, need=30.0))
    return rows


def _numpy_rows(sigdef: Any, tf: Any, quick: bool) -> list[Row]:
    shape = (2, 224, 224, 3) if quick else (64, 224, 224, 3)
    name = f"make_tensor_proto, {'x'.join(map(str, shape))} float32 numpy array"
    try:
        import numpy as np
    except ImportError:
        return [Row(name, "skipped (no numpy)", "—", None, TARGET_CALL, None)]
    images = np.random.default_rng(0).random(shape, dtype=np.float32)
    from sigdef.protos import TensorProto

    ready = images.tobytes()

    def floor() -> Any:  # protobuf's own copy alone, from bytes already made: no caller avoids it
        return TensorProto(dtype=1, tensor_content=ready)

    fns = {"sigdef": lambda: sigdef.make_tensor_proto(images), "floor": floor}
    if tf is not None:
        fns["tf"] = lambda: tf.make_tensor_proto(images)
    t = interleaved(fns, number=1 if not quick else 2, repeat=3 if quick else 11)
    if tf is None:
        return [Row(name, t["sigdef"].ms(), "skipped (no TF)", None, TARGET_CALL, None)]
    assert sigdef.make_tensor_proto(images).SerializeToString() == tf.make_tensor_proto(images).SerializeToString()
    floor_ratio = t["tf"].median / t["floor"].median
    note = (
        f"floor: TensorProto(tensor_content=<bytes made beforehand>) {t['floor'].ms()} = {floor_ratio:.1f}x TF, below the"
        " target itself: protobuf copies the 38.5 MB into its arena and takes only bytes, so the array's bytes are"
        " one copy more (numpy's tobytes), the two copies TF makes too"
    )
    return [_row(name, t["sigdef"], t["tf"], "ms", TARGET_CALL, quick, note)]

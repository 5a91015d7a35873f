"""Tensor-likes: what sigdef builders accept where TensorFlow takes tensors.

`tensor`, `constant`, `sparse_tensor`, `ragged_tensor`, `variable` and `op` make
objects that print and behave like TensorFlow's graph objects where the builders
look at them. Objects that merely look like TF tensors (`.name`, `.dtype`, `.shape`,
so real TF tensors too) are accepted as well, without importing TensorFlow.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import Any

from .errors import BOOL_MESSAGE, OperatorNotAllowedInGraphError
from .protoconv import coerce, same_type
from .protos import DataType, SignatureDef, TensorInfo, TensorProto, TensorShapeProto, TypeSpecProto
from .types import BY_NUMBER, DType, lookup

__all__ = [
    "Operation",
    "RaggedTensor",
    "SparseTensor",
    "Tensor",
    "TensorShape",
    "Variable",
    "build_tensor_info",
    "build_tensor_info_from_op",
    "constant",
    "EncodedInfo",
    "encoded_info",
    "key_field",
    "map_entry",
    "method_name_field",
    "serialized_info",
    "dtype_number",
    "is_floating_dtype",
    "is_floating_tensor",
    "is_string_tensor",
    "is_operation",
    "is_tf_type",
    "default_entry",
    "is_dense_tensor",
    "op",
    "ragged_tensor",
    "sparse_tensor",
    "tensor",
    "variable",
]

ShapeLike = Sequence[int | None] | None


class _ReadOnly:
    """Attributes set once, by __init__, as on TF's tensors and shapes (which have no
    setters): builders cache what they encode from a tensor, so it must not change."""

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__}.{name} is read-only")

    def _init(self, **values: object) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __setstate__(self, state: tuple[None, dict[str, object]]) -> None:  # copy, pickle
        _ReadOnly._init(self, **state[1])


class TensorShape(_ReadOnly):
    """A static shape: a tuple of dims (None = unknown) or None for unknown rank."""

    __slots__ = ("dims",)
    dims: tuple[int | None, ...] | None

    def __init__(self, dims: Iterable[int | None] | TensorShapeProto | None) -> None:
        if same_type(dims, TensorShapeProto):  # sigdef's or TensorFlow's, as tf.TensorShape takes
            proto: Any = dims
            dims = None if proto.unknown_rank else [d.size for d in proto.dim]
        self._init(dims=None if dims is None else tuple(_dim(d) for d in dims))  # type: ignore[union-attr]

    @property
    def rank(self) -> int | None:
        return None if self.dims is None else len(self.dims)

    def as_list(self) -> list[int | None]:
        if self.dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self.dims)

    def as_proto(self) -> TensorShapeProto:
        """TensorShape.as_proto: unknown rank, or one Dim per dim (-1 when unknown)."""
        if self.dims is None:
            return TensorShapeProto(unknown_rank=True)
        return TensorShapeProto(dim=[TensorShapeProto.Dim(size=-1 if d is None else d) for d in self.dims])

    def __str__(self) -> str:
        if self.dims is None:
            return "<unknown>"
        if len(self.dims) == 1:
            return f"({self.dims[0]},)"
        return "(" + ", ".join(str(d) for d in self.dims) + ")"

    def __repr__(self) -> str:
        return f"TensorShape({None if self.dims is None else list(self.dims)})"


def _dim(d: object) -> int | None:
    """One dim as TF's `Dimension` takes it (None, or anything with `__index__`), with its
    errors; -1 also means unknown, as in a TensorShapeProto."""
    value = getattr(d, "value", d)  # TF1 Dimension objects
    if value is None:
        return None
    index = getattr(value, "__index__", None)
    if index is None:
        raise TypeError(
            f"Dimension value must be integer or None or have an __index__ method, got value '{value!r}' with type '{type(value)!r}'"
        )
    number = int(index())
    if number < -1:
        raise ValueError(f"Dimension {number} must be >= 0")
    return None if number == -1 else number


class Operation:
    """An operation-like: a name, an op type, the tensors it reads (for dependency
    checks) and, for constants, the value TensorProto."""

    __slots__ = ("name", "type", "inputs", "_value")

    def __init__(self, name: str, type: str, value: TensorProto | None = None, inputs: Sequence[Any] = ()) -> None:
        self.name = name
        self.type = type
        self.inputs = tuple(inputs)
        self._value = coerce(value, TensorProto)  # TensorFlow's TensorProto too

    def get_attr(self, name: str) -> TensorProto:
        """The `value` attr of a Const op (a fresh copy)."""
        if name != "value" or self._value is None:
            raise ValueError(f"Operation {self.name!r} has no attr named '{name}'.")
        copy = TensorProto()
        copy.CopyFrom(self._value)
        return copy

    def __repr__(self) -> str:
        return f"<tf.Operation '{self.name}' type={self.type}>"


class _Encodable(_ReadOnly):
    """A read-only tensor-like that encodes its TensorInfo once, when made (`_encoded`)."""

    __slots__ = ("_encoded",)
    name: str
    dtype: DType
    shape: TensorShape
    _encoded: EncodedInfo

    def _init(self, **values: object) -> None:
        super()._init(**values)
        object.__setattr__(self, "_encoded", EncodedInfo(_dense_info(self)))


class Tensor(_Encodable):
    """A dense symbolic tensor: name ("x:0"), dtype and static shape."""

    __slots__ = ("name", "dtype", "shape", "op")
    op: Operation

    def __init__(self, name: str, dtype: object, shape: ShapeLike = None, *, op: Operation | None = None) -> None:
        self._init(
            name=name,
            dtype=lookup(dtype),
            shape=TensorShape(shape),
            op=op if op is not None else Operation(name.rsplit(":", 1)[0], "Placeholder"),
        )

    def get_shape(self) -> TensorShape:
        return self.shape

    def __str__(self) -> str:
        return f'Tensor("{self.name}", shape={self.shape}, dtype={_dtype_str(self.dtype)})'

    def __repr__(self) -> str:
        return f"<tf.Tensor '{self.name}' shape={self.shape} dtype={_dtype_str(self.dtype)}>"

    def __bool__(self) -> bool:
        raise OperatorNotAllowedInGraphError(BOOL_MESSAGE)

    def __len__(self) -> int:
        raise TypeError(
            f"len is not well defined for a symbolic Tensor ({self.name}). "
            "Please call `x.shape` rather than `len(x)` for shape information."
        )

    __hash__ = object.__hash__


class Variable(_Encodable):
    """A variable-like: accepted by the builders, but not a Tensor (as in TF).

    `ref=True` models a TF1 RefVariable, whose dtype is the `_ref` type (DT_FLOAT_REF).
    """

    __slots__ = ("name", "dtype", "shape")

    def __init__(self, name: str, dtype: object, shape: ShapeLike = None, *, ref: bool = False) -> None:
        base = lookup(dtype)
        if ref and base.number < 100:
            base = BY_NUMBER[base.number + 100]
        self._init(name=name, dtype=base, shape=TensorShape(shape))

    def get_shape(self) -> TensorShape:
        return self.shape

    def __repr__(self) -> str:
        return f"<tf.Variable '{self.name}' shape={self.shape} dtype={_dtype_str(self.dtype)}>"


class SparseTensor:
    """A sparse tensor: three component tensors, the values' dtype and the dense shape."""

    __slots__ = ("indices", "values", "dense_shape", "dtype", "shape")

    def __init__(self, indices: Tensor, values: Tensor, dense_shape: Tensor, shape: ShapeLike = None) -> None:
        self.indices = indices
        self.values = values
        self.dense_shape = dense_shape
        self.dtype = values.dtype
        self.shape = TensorShape(shape)

    def get_shape(self) -> TensorShape:
        return self.shape

    def __repr__(self) -> str:
        return f"SparseTensor(indices={self.indices}, values={self.values}, dense_shape={self.dense_shape})"


class RaggedTensor:
    """A ragged tensor: flat values plus one row-splits tensor per ragged dimension."""

    __slots__ = ("flat_values", "nested_row_splits", "dtype", "shape", "row_splits_dtype")

    def __init__(self, flat_values: Tensor, nested_row_splits: Sequence[Tensor], shape: ShapeLike) -> None:
        self.flat_values = flat_values
        self.nested_row_splits = tuple(nested_row_splits)
        self.dtype = flat_values.dtype
        self.shape = TensorShape(shape)
        self.row_splits_dtype = self.nested_row_splits[0].dtype if self.nested_row_splits else lookup("int64")

    @property
    def ragged_rank(self) -> int:
        return len(self.nested_row_splits)

    def get_shape(self) -> TensorShape:
        return self.shape

    def __repr__(self) -> str:
        values: object = self.flat_values
        for splits in reversed(self.nested_row_splits[1:]):
            values = f"tf.RaggedTensor(values={values}, row_splits={splits})"
        return f"tf.RaggedTensor(values={values}, row_splits={self.nested_row_splits[0]})"


def _dtype_str(dtype: DType) -> str:
    return dtype.python_name or dtype.name


def tensor(
    name: str, dtype: object, shape: ShapeLike = None, *, op_type: str = "Placeholder", inputs: Sequence[Any] = ()
) -> Tensor:
    """A dense tensor-like, e.g. `tensor("x:0", "float32", [None, 3])`.

    `dtype` is a name ("float32", "DT_FLOAT"), a DataType number, a numpy dtype or a TF
    DType; `shape` lists dims (None = unknown) or is None for unknown rank. `op_type` and
    `inputs` (the tensors its op reads) matter only to `build_all_signature_defs`, which
    drops signatures whose outputs depend on a Placeholder that is not a receiver.
    """
    try:
        dims = TensorShape(shape)
    except (TypeError, ValueError) as exc:  # as TF's placeholder words a bad shape
        raise type(exc)(f"Error converting shape to a TensorShape: {exc}.") from None
    return Tensor(name, dtype, dims.dims, op=Operation(name.rsplit(":", 1)[0], op_type, inputs=inputs))


def constant(value: object, dtype: object, shape: ShapeLike = None, *, name: str = "Const:0") -> Tensor:
    """A constant tensor-like (op type Const) whose value can be a SignatureDef default."""
    from .tensor_util import make_tensor_proto  # tf.constant: make_tensor_proto(..., allow_broadcast=True)

    proto = make_tensor_proto(value, dtype, shape, allow_broadcast=True)
    dims = [d.size for d in proto.tensor_shape.dim]
    return Tensor(name, dtype, dims, op=Operation(name.rsplit(":", 1)[0], "Const", proto))


def sparse_tensor(
    name: str,
    dtype: object,
    shape: ShapeLike = None,
    *,
    values: str | None = None,
    indices: str | None = None,
    dense_shape: str | None = None,
) -> SparseTensor:
    """A sparse tensor-like named like `tf.sparse.placeholder(name=...)`'s components
    (`<name>/values:0`, `<name>/indices:0`, `<name>/shape:0`) unless given."""
    rank = None if shape is None else len(shape)
    return SparseTensor(
        indices=Tensor(indices or f"{name}/indices:0", "int64", [None, rank]),
        values=Tensor(values or f"{name}/values:0", dtype, [None]),
        dense_shape=Tensor(dense_shape or f"{name}/shape:0", "int64", [rank]),
        shape=shape,
    )


def ragged_tensor(
    name: str,
    dtype: object,
    shape: Sequence[int | None],
    *,
    ragged_rank: int | None = None,
    row_splits_dtype: object = "int64",
    flat_values: str | None = None,
    row_splits: Sequence[str] | None = None,
) -> RaggedTensor:
    """A ragged tensor-like of static `shape` (rank >= 2); `ragged_rank` defaults to rank - 1.

    Components are named `<name>/flat_values:0` and `<name>/row_splits_<i>:0` unless given.
    """
    rank = len(shape)
    ragged = rank - 1 if ragged_rank is None else ragged_rank
    if rank < 2 or not 1 <= ragged < rank:
        raise ValueError(f"ragged_rank must be in [1, {rank - 1}] for a rank-{rank} ragged tensor.")
    splits = list(row_splits) if row_splits is not None else [f"{name}/row_splits_{i}:0" for i in range(ragged)]
    if len(splits) != ragged:
        raise ValueError(f"Expected {ragged} row_splits names, got {len(splits)}.")
    flat = Tensor(flat_values or f"{name}/flat_values:0", dtype, [None, *shape[ragged + 1 :]])
    return RaggedTensor(flat, [Tensor(s, row_splits_dtype, [None]) for s in splits], shape)


def variable(name: str, dtype: object, shape: ShapeLike = None, *, ref: bool = False) -> Variable:
    """A variable-like (`name` is the handle tensor name, e.g. "v:0")."""
    return Variable(name, dtype, shape, ref=ref)


def op(name: str, type: str = "NoOp") -> Operation:
    """An operation-like, e.g. `op("init_all")` for `op_signature_def`."""
    return Operation(name, type)


def dtype_number(dtype: object) -> int:
    """The DataType number of a dtype-like (sigdef DType, TF DType, name, numpy dtype)."""
    if isinstance(dtype, DType):
        return dtype.number
    return _dtype_number(dtype)


def is_floating_dtype(dtype: object) -> bool:
    """TF's `DType.is_floating` (float16/32/64, bfloat16, float8 types, float4)."""
    if isinstance(dtype, DType):
        return dtype.is_floating
    floating = getattr(dtype, "is_floating", None)
    return floating if isinstance(floating, bool) else lookup(dtype).is_floating


def is_floating_tensor(value: Any) -> bool:
    """A dense tensor of a floating dtype (what ExportOutputs take as scores and values;
    their checks read a sigdef Tensor's dtype inline and call this for anything else)."""
    return is_dense_tensor(value) and is_floating_dtype(value.dtype)


def is_string_tensor(value: Any) -> bool:
    """A dense tensor of dtype DT_STRING (what ExportOutputs take as classes; as above)."""
    return is_dense_tensor(value) and dtype_number(value.dtype) == _STRING


_STRING = lookup("DT_STRING").number


def is_tf_type(value: object) -> bool:
    """TF's `tensor_util.is_tf_type`: tensors, sparse and ragged tensors, variables."""
    if isinstance(value, (Tensor, SparseTensor, RaggedTensor, Variable)):
        return True
    names = {cls.__name__ for cls in type(value).__mro__}
    return bool(names & {"Tensor", "SparseTensor", "RaggedTensor", "Variable", "BaseResourceVariable"})


def is_operation(value: object) -> bool:
    """An operation-like: a sigdef Operation, or any object with `.name` and no `.dtype`."""
    return isinstance(value, Operation) or (hasattr(value, "name") and not hasattr(value, "dtype"))


def is_dense_tensor(value: object) -> bool:
    """TF's `isinstance(x, tf.Tensor)`: sigdef Tensors, or objects whose class (or a base)
    is named "Tensor" (real TF tensors). Sparse, ragged, variables and Python values are not;
    nor are TF's variables, whose only "Tensor" base is the abstract `types.core.Tensor`."""
    if isinstance(value, Tensor):
        return True
    if isinstance(value, (SparseTensor, RaggedTensor, Variable, Operation)):
        return False
    return any(cls.__name__ == "Tensor" and cls.__module__ != _TF_CORE_TYPES for cls in type(value).__mro__)


_TF_CORE_TYPES = "tensorflow.python.types.core"  # TF's abstract types, variables' base too


def build_tensor_info(tensor: Any) -> TensorInfo:
    """TensorInfo of a tensor-like, as `tf.compat.v1.saved_model.build_tensor_info`."""
    info = TensorInfo()
    if isinstance(tensor, (Tensor, Variable)):
        info.CopyFrom(tensor._encoded.info)
        return info
    if not isinstance(tensor, (SparseTensor, RaggedTensor)):
        _refuse_if_eager(tensor, "build_tensor_info")
    if _is_ragged(tensor):
        return _composite_info(tensor)
    info.dtype = DataType.ValueType(_dtype_number(tensor.dtype))
    info.tensor_shape.CopyFrom(_shape_proto(tensor))
    if _is_sparse(tensor):
        info.coo_sparse.values_tensor_name = tensor.values.name
        info.coo_sparse.indices_tensor_name = tensor.indices.name
        info.coo_sparse.dense_shape_tensor_name = tensor.dense_shape.name
    else:
        info.name = tensor.name
    return info


def encoded_info(tensor: Any) -> EncodedInfo:
    """The EncodedInfo of a tensor-like's TensorInfo: kept on sigdef Tensors and
    Variables (builders read `tensor._encoded` of a sigdef Tensor directly), built
    afresh for anything else (TF tensors, sparse and ragged tensors)."""
    if type(tensor) is Tensor or type(tensor) is Variable:
        return tensor._encoded
    return EncodedInfo(build_tensor_info(tensor))


def build_tensor_info_from_op(operation: Any) -> TensorInfo:
    """TensorInfo naming an operation (no dtype, unknown rank), as TF's utils."""
    if not isinstance(operation, Operation):
        _refuse_if_eager(operation, "build_tensor_info_from_op")
    return TensorInfo(name=operation.name, tensor_shape=TensorShapeProto(unknown_rank=True))


class EncodedInfo:
    """A TensorInfo as the builders use it: the proto, its dtype number (for their checks)
    and, by key, its SignatureDef `inputs` and `outputs` map entries, serialized.

    Builders join such entries into the wire form of a SignatureDef and parse it once,
    which is faster than copying each TensorInfo into the message.
    """

    __slots__ = ("info", "dtype", "inputs", "outputs")

    def __init__(self, info: TensorInfo) -> None:
        data = info.SerializeToString()
        self.info = info
        self.dtype: int = info.dtype
        self.inputs = _Entries("inputs", data)
        self.outputs = _Entries("outputs", data)


class _Entries(dict[object, bytes]):
    """Serialized entries `key` -> one TensorInfo of one SignatureDef map, by key: encoded
    on first lookup and remembered for the first _KEYS_KEPT str keys (a tensor lives under
    a few keys; a bad key raises protobuf's error)."""

    __slots__ = ("_section", "_value")

    def __init__(self, section: str, value: bytes) -> None:
        super().__init__()
        self._section = section
        self._value = value

    def __missing__(self, key: object) -> bytes:
        entry = map_entry(self._section, key_field(key), self._value)
        if type(key) is str and len(self) < _KEYS_KEPT:
            self[key] = entry
        return entry


_KEYS_KEPT = 16


def serialized_info(info: object) -> bytes:
    """A TensorInfo given as is (build_signature_def), serialized: sigdef's, TensorFlow's
    or any class of that type (same bytes); anything else raises protobuf's TypeError,
    as TF's `signature_def.inputs[key].CopyFrom(info)` does."""
    if type(info) is TensorInfo or same_type(info, TensorInfo):
        data: bytes = info.SerializeToString()  # type: ignore[attr-defined]
        return data
    value = TensorInfo()
    value.CopyFrom(info)  # type: ignore[arg-type]
    return value.SerializeToString()


def method_name_field(method_name: object) -> bytes:
    """SignatureDef's `method_name` field, serialized (nothing for ""); a non-string
    raises protobuf's TypeError, as TF's `signature_def.method_name = method_name` does."""
    return SignatureDef(method_name=method_name).SerializeToString()  # type: ignore[arg-type]


def key_field(key: object) -> bytes:
    """The serialized key of a SignatureDef map entry. Keys other than str go through
    protobuf, which accepts UTF-8 bytes and raises its own error for anything else (None
    included), as TF's `signature_def.inputs[key]` does."""
    if type(key) is str:
        return _length_delimited(_MAP_KEY, key.encode())
    SignatureDef().inputs[key]  # type: ignore[index]  # protobuf's own key check (None, ints: TypeError)
    return SignatureDef.InputsEntry(key=key).SerializeToString()  # type: ignore[arg-type]


def map_entry(section: str, key_field: bytes, value: bytes) -> bytes:
    """The serialized entry of SignatureDef map `section` ("inputs", "outputs" or
    "defaults") with an encoded key (`key_field`) and a serialized message `value`."""
    return _length_delimited(_FIELD_NUMBERS[section], key_field + _length_delimited(_MAP_VALUE, value))


_FIELD_NUMBERS = {field.name: field.number for field in SignatureDef.DESCRIPTOR.fields}
_MAP_KEY, _MAP_VALUE = 1, 2  # field numbers inside every map entry


def _length_delimited(number: int, data: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(data)) + data


def _varint(value: int) -> bytes:
    out = bytearray()
    while value > 0x7F:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _dense_info(tensor: _Encodable) -> TensorInfo:
    return TensorInfo(name=tensor.name, dtype=DataType.ValueType(tensor.dtype.number), tensor_shape=tensor.shape.as_proto())


def _is_sparse(value: object) -> bool:
    return isinstance(value, SparseTensor) or (
        not isinstance(value, (Tensor, Variable)) and all(hasattr(value, a) for a in ("indices", "values", "dense_shape"))
    )


def _is_ragged(value: object) -> bool:
    return isinstance(value, RaggedTensor) or (
        not isinstance(value, (Tensor, Variable, SparseTensor)) and hasattr(value, "nested_row_splits") and hasattr(value, "flat_values")
    )


def _dtype_number(dtype: object) -> int:
    number = getattr(dtype, "as_datatype_enum", None)
    if isinstance(number, int):
        return number
    return lookup(dtype).number


def _shape_proto(tensor: Any) -> TensorShapeProto:
    shape = tensor.get_shape() if hasattr(tensor, "get_shape") else tensor.shape
    if isinstance(shape, TensorShape):
        return shape.as_proto()
    rank = getattr(shape, "rank", None) if not isinstance(shape, (list, tuple)) else len(shape)
    if rank is None:
        return TensorShapeProto(unknown_rank=True)
    dims = shape.as_list() if hasattr(shape, "as_list") else list(shape)
    return TensorShape(dims).as_proto()


def _composite_info(ragged: Any) -> TensorInfo:
    """A RaggedTensor's TensorInfo: only `composite_tensor` (RaggedTensorSpec + components)."""
    info = TensorInfo()
    spec = info.composite_tensor.type_spec
    spec.type_spec_class = TypeSpecProto.RAGGED_TENSOR_SPEC
    spec.type_spec_class_name = "RaggedTensorSpec"
    values = spec.type_state.tuple_value.values
    values.add().tensor_shape_value.CopyFrom(_shape_proto(ragged))
    values.add().tensor_dtype_value = DataType.ValueType(_dtype_number(ragged.dtype))
    values.add().int64_value = len(ragged.nested_row_splits)
    values.add().tensor_dtype_value = DataType.ValueType(_dtype_number(ragged.nested_row_splits[0].dtype))
    components = [ragged.flat_values, *ragged.nested_row_splits]
    spec.num_flat_components = len(components)
    for component in components:
        info.composite_tensor.components.add().CopyFrom(build_tensor_info(component))
    return info


def _refuse_if_eager(value: object, function: str) -> None:
    """TF's utils refuse every argument while TensorFlow executes eagerly; so does sigdef
    for anything but its own tensor-likes (graph objects in any mode) when TensorFlow is
    imported and eager: TF's tensors, eager or not, and Python values alike."""
    if _tf_executing_eagerly():
        raise RuntimeError(f"`{function}` is not supported in eager execution.")


def _tf_executing_eagerly() -> bool:
    """TensorFlow's mode, asked only of a TensorFlow that is already imported."""
    context = sys.modules.get("tensorflow.python.eager.context")
    return context is not None and bool(context.executing_eagerly())


def _is_eager_tensor(value: object) -> bool:
    """TF's `isinstance(value, ops.EagerTensor)`, without importing TensorFlow."""
    return any(cls.__name__ == "EagerTensor" and cls.__module__.startswith("tensorflow") for cls in type(value).__mro__)


def _eager_tensor_proto(value: Any) -> TensorProto:
    """`make_tensor_proto(value.numpy())`, as TF's build_signature_def encodes an eager default
    (sigdef's TF-exact make_tensor_proto; numpy is there, since TensorFlow is)."""
    from .tensor_util import make_tensor_proto as tf_make_tensor_proto

    return tf_make_tensor_proto(value.numpy())


def default_entry(key: object, default: Any) -> bytes:
    """The serialized `defaults` entry of a tensor, checked in TF's order: the default's
    kind (an eager tensor, or a tensor whose op is a Const), then the key, then its value."""
    if _is_eager_tensor(default):
        field = key_field(key)
        return map_entry("defaults", field, _eager_tensor_proto(default).SerializeToString())
    if default.op.type == "Const":
        field = key_field(key)
        return map_entry("defaults", field, coerce(default.op.get_attr("value"), TensorProto).SerializeToString())
    raise ValueError(f"Unable to convert object {default} of type {type(default)} to TensorProto.")

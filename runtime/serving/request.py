"""REST JSON bodies -> TF Serving's gRPC requests, as TF Serving's json_tensor.cc fills them
(FillPredictRequestFromJson, FillClassificationRequestFromJson, FillRegressionRequestFromJson).

Each value goes through the bulk fast path (`dense.py`) first; a value it does not accept is
replayed element by element here, in TF Serving's order, so the error raised is the one TF
Serving reports first. Errors are ValueError whose message is TF Serving's."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..protos import ClassificationRequest, Example, Feature, PredictRequest, RegressionRequest, TensorProto
from .b64 import decode_object, is_b64_object, utf8
from .dense import dense, extend, shape_of
from .jsontext import TOO_BIG, debug_string, float32, gc_paused, overflowed, parse, read_double
from .rules import (
    DT_BOOL,
    DT_DOUBLE,
    DT_FLOAT,
    DT_INT64,
    DT_STRING,
    DT_UINT32,
    DT_UINT64,
    INT64,
    INT_VAL_DTYPES,
    MAX_RANK,
    UINT64,
    dtype_string,
    is_double,
    is_int,
    is_int64,
    is_uint,
    is_uint64,
    json_type,
)

__all__ = [
    "predict_request_from_json",
    "predict_request_and_format_from_json",
    "classification_request_from_json",
    "regression_request_from_json",
    "input_dtypes",
]

# A SignatureDef (sigdef's or TensorFlow's), a mapping of input name -> TensorInfo, or a callable
# taking the body's "signature_name" ("" when absent) and returning one of those (TF Serving's
# get_tensorinfo_map: it may raise ValueError, e.g. for an unknown signature).
Signature = Any


class _Status(Exception):
    """A non-OK absl Status inside the codec: code and message."""

    def __init__(self, message: str, code: str = "INVALID_ARGUMENT") -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:  # absl::Status::ToString
        return f"{self.code}: {self.message}"


def _format_error(value: Any, *parts: object) -> _Status:
    return _Status("JSON Value: " + debug_string(value) + " " + "".join(map(str, parts)))


def _type_error(value: Any, dtype: int) -> _Status:
    return _Status(f"JSON Value: {debug_string(value)} Type: {json_type(value)} is not of expected type: {dtype_string(dtype)}")


def _run(fill: Any, *args: Any) -> Any:
    try:
        with gc_paused():
            return fill(*args)
    except _Status as status:
        raise ValueError(status.message) from None


# ---- predict -----------------------------------------------------------------------------


def input_dtypes(signature: Signature) -> dict[str, int]:
    """Input name -> DataType number of a SignatureDef (ours or TF's) or a name -> TensorInfo mapping."""
    inputs: Any = getattr(signature, "inputs", signature)
    if not isinstance(inputs, Mapping) and not hasattr(inputs, "items"):
        raise TypeError(f"signature must be a SignatureDef or a mapping of input name to TensorInfo, not {type(signature).__name__}")
    return {str(name): int(getattr(info, "dtype", 0)) for name, info in inputs.items()}


def predict_request_from_json(text: str | bytes, signature: Signature) -> PredictRequest:
    """The PredictRequest TF Serving makes of a REST predict body ("instances" rows or
    "inputs" columns) for `signature`'s inputs. Raises ValueError with TF Serving's message."""
    request: PredictRequest = _run(_predict, text, signature)[0]
    return request


def predict_request_and_format_from_json(text: str | bytes, signature: Signature) -> tuple[PredictRequest, str]:
    """The PredictRequest and the body's format: "row" ("instances") or "columnar" ("inputs"),
    the format TF Serving answers in (`json_from_tensors`)."""
    result: tuple[PredictRequest, str] = _run(_predict, text, signature)
    return result


def _predict(text: str | bytes, signature: Signature) -> tuple[PredictRequest, str]:
    if not callable(signature):
        infos = input_dtypes(signature)  # a wrong argument type fails before the body is read
    # A double tensor gets rapidjson's own doubles (they differ from correctly rounded ones for
    # long mantissas); float tensors need not: float32 rounding hides that difference.
    doc = _document(text, not callable(signature) and DT_DOUBLE in infos.values())
    request = PredictRequest()
    _fill_signature(doc, request)
    if callable(signature):
        try:
            infos = input_dtypes(signature(request.model_spec.signature_name))
        except ValueError as e:
            raise _Status(str(e)) from None
        if DT_DOUBLE in infos.values():
            doc = _document(text, True)
    if not infos:
        name = request.model_spec.signature_name
        raise _Status("Failed to get input map for signature: " + (name or "DEFAULT"))
    if "instances" in doc:
        if "inputs" in doc:
            raise _format_error(doc, "Not formatted correctly expecting only one of 'inputs' or 'instances' keys to exist ")
        instances = _list_member(doc, "instances", "Expecting 'instances' to be an list/array", "No values in 'instances' array")
        format = "row"
        if not _rows_fast(instances, infos, request.inputs):
            request.inputs.clear()
            _copy(_rows_exact(instances, infos), request.inputs)
    elif "inputs" in doc:
        format = "columnar"
        _columns(doc["inputs"], infos, request.inputs)
    else:
        raise _Status("Missing 'inputs' or 'instances' key")
    for name, tensor in request.inputs.items():
        if len(tensor.tensor_shape.dim) > MAX_RANK:
            dims = [d.size for d in tensor.tensor_shape.dim]
            shown = ",".join(map(str, dims[:8])) + ",..." if len(dims) > 8 else ",".join(map(str, dims))
            raise _Status(f"Shape [{shown}] has too many dimensions (input {name}: rank {len(dims)} > {MAX_RANK})")
    return request, format


def _copy(tensors: dict[str, TensorProto], target: Any) -> None:
    for name, tensor in tensors.items():
        target[name].CopyFrom(tensor)


def _document(text: str | bytes, rapidjson_doubles: bool = False) -> dict[str, Any]:
    try:
        doc = parse(text, rapidjson_doubles)
    except ValueError as e:
        raise _Status(str(e)) from None
    if type(doc) is not dict:
        raise _format_error(doc, "Is not object")
    return doc


def _list_member(doc: dict[str, Any], key: str, not_a_list: str, empty: str) -> list[Any]:
    """doc[key], which must be a non-empty array."""
    value = doc[key]
    if type(value) is not list:
        raise _format_error(doc, not_a_list)
    if not value:
        raise _format_error(doc, empty)
    return value


def _fill_signature(doc: dict[str, Any], request: Any) -> None:
    if "signature_name" in doc:
        name = doc["signature_name"]
        if type(name) is not str:
            raise _Status(f"JSON Value: {debug_string(doc)} not formatted correctly. 'signature_name' key must be a string value.")
        request.model_spec.SetInParent()
        request.model_spec.signature_name = utf8(name).decode("utf-8", "replace")


def _start_tensor(tensor: TensorProto, dtype: int, shape: list[int]) -> TensorProto:
    """`tensor` (fresh) with its dtype and a present tensor_shape of `shape`."""
    tensor.dtype = dtype  # type: ignore[assignment]
    tensor.tensor_shape.SetInParent()
    for size in shape:
        tensor.tensor_shape.dim.add(size=size)
    return tensor


def _is_element_object(value: Any) -> bool:
    return type(value) is dict and not is_b64_object(value)


def _rows_fast(instances: list[Any], infos: dict[str, int], target: Any) -> bool:
    """The row format through the bulk path, into `target` (a name -> TensorProto map); False
    when some value needs the exact path."""
    if not _is_element_object(instances[0]):
        if len(infos) > 1:
            return False
        columns = {name: instances for name in infos}
    else:
        names = infos.keys()
        if set(map(type, instances)) != {dict} or "b64" in names:
            return False
        for instance in instances:
            if instance.keys() != names:
                return False
        columns = {name: [instance[name] for instance in instances] for name in infos}
    for name, column in columns.items():
        found = dense(column)
        if found is None or not extend(_start_tensor(target[name], infos[name], found.shape), infos[name], found):
            return False
    return True


def _rows_exact(instances: list[Any], infos: dict[str, int]) -> dict[str, TensorProto]:
    """FillTensorMapFromInstancesList, element by element."""
    if type(instances[0]) is not dict and len(infos) > 1:
        raise _Status(
            "instances is a plain list, but expecting list of objects as multiple input tensors required as per tensorinfo_map"
        )
    objects = _is_element_object(instances[0])
    names = sorted(infos)
    values: dict[str, TensorProto] = {}
    shapes: dict[str, tuple[int, list[int]]] = {}
    for count, element in enumerate(instances):
        if objects:
            if not _is_element_object(element):
                raise _Status(f"Expecting object but got list at item {count} of input list")
            for name, item in element.items():
                try:
                    _add_instance_item(item, name, infos, shapes, values)
                except _Status as status:
                    raise _Status(f"Failed to process element: {count} key: {name} of 'instances' list. Error: {status}") from None
            if sorted(element) != names:
                raise _Status(
                    f"Failed to process element: {count} of 'instances' list. JSON object: {debug_string(element)}"
                    f" keys must be equal to: {','.join(names)}"
                )
        else:
            if _is_element_object(element):
                raise _Status(f"Expecting value/list but got object at item {count} of input list")
            try:
                _add_instance_item(element, names[0], infos, shapes, values)
            except _Status as status:
                raise _Status(f"Failed to process element: {count} of 'instances' list. Error: {status}") from None
    tensors = {}
    for name, tensor in values.items():
        tensor.dtype = infos[name]  # type: ignore[assignment]
        del tensor.tensor_shape.dim[:]
        for size in [len(instances), *shapes[name][1]]:
            tensor.tensor_shape.dim.add(size=size)
        tensors[name] = tensor
    return tensors


def _add_instance_item(
    item: Any, name: str, infos: dict[str, int], shapes: dict[str, tuple[int, list[int]]], values: dict[str, TensorProto]
) -> None:
    if name not in infos:
        raise _Status(f"JSON object: does not have named input: {name}")
    tensor = values.setdefault(name, TensorProto())
    shape = shape_of(item)
    size = _fill_exact(item, shape, infos[name], tensor)
    if name not in shapes:
        shapes[name] = (size, shape)
    elif shapes[name][0] != size:
        raise _Status(f"Expecting tensor size: {shapes[name][0]} but got: {size}")
    elif shapes[name][1] != shape:
        raise _Status(f"Expecting shape [{','.join(map(str, shapes[name][1]))}] but got: [{','.join(map(str, shape))}]")


def _columns(value: Any, infos: dict[str, int], target: Any) -> None:
    """FillTensorMapFromInputsMap, into `target` (a name -> TensorProto map)."""
    if type(value) is not dict or is_b64_object(value):
        if len(infos) > 1:
            raise _Status(
                "inputs is a plain value/list, but expecting an object as multiple input tensors required as per tensorinfo_map"
            )
        items = {name: value for name in infos}
    else:
        items = {}
        for name in sorted(infos):
            if name not in value:
                raise _Status(f"Missing named input: {name} in 'inputs' object.")
            items[name] = value[name]
    for name, item in items.items():
        found = dense(item)
        if found is None or not extend(_start_tensor(target[name], infos[name], found.shape), infos[name], found):
            tensor = _start_tensor(TensorProto(), infos[name], shape_of(item))
            _fill_exact(item, [d.size for d in tensor.tensor_shape.dim], infos[name], tensor)
            target[name].CopyFrom(tensor)


def _fill_exact(value: Any, shape: list[int], dtype: int, tensor: TensorProto) -> int:
    """FillTensorProto (iteratively): every leaf at depth rank, every list of its level's
    size, each leaf converted by AddValueToTensor; the number of values added."""
    rank = len(shape)
    count = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        val, level = stack.pop()
        if type(val) is not list:
            if level != rank:
                raise _Status(
                    f"JSON Value: {debug_string(val)} found at incorrect level: {level + 1} in the JSON DOM. Expected at level: {rank}"
                )
            if type(val) is dict:
                if dtype != DT_STRING:
                    raise _type_error(val, dtype)
                if not is_b64_object(val):
                    raise _Status(f"JSON Value: {debug_string(val)} not formatted correctly for base64 data")
                decoded = decode_object(val)
                if decoded is None:
                    raise _Status("Unable to base64 decode")
                tensor.string_val.append(decoded)
            else:
                _add_value(val, dtype, tensor)
            count += 1
            continue
        if level >= rank:
            raise _Status(f"Encountered list at unexpected level: {level} expected < {rank}")
        if len(val) != shape[level]:
            raise _Status(f"Encountered list at unexpected size: {len(val)} at level: {level} expected size: {shape[level]}")
        stack.extend((v, level + 1) for v in reversed(val))
    return count


def _double(val: int | float) -> float:
    """rapidjson's GetDouble: an integer token past (u)int64 is its own double (read_double),
    or fails its parse when too big for one."""
    if type(val) is int and not (INT64[0] <= val < UINT64[1]):
        value = read_double(str(val))
        if value is None:
            raise _Status(f"JSON Parse error: {TOO_BIG}")
        return value
    if type(val) is float and overflowed(val):
        raise _Status(f"JSON Parse error: {TOO_BIG}")
    return float(val)


def _add_value(val: Any, dtype: int, tensor: TensorProto) -> None:
    """AddValueToTensor."""
    if dtype == DT_FLOAT or dtype == DT_DOUBLE:
        if type(val) not in (int, float):
            raise _type_error(val, dtype)
        number = _double(val)
        if dtype == DT_FLOAT:
            tensor.float_val.append(float32(number))
        else:
            tensor.double_val.append(number)
    elif dtype in INT_VAL_DTYPES:
        if not is_int(val):
            raise _type_error(val, dtype)
        tensor.int_val.append(val)
    elif dtype == DT_STRING:
        if type(val) is not str:
            raise _type_error(val, dtype)
        tensor.string_val.append(utf8(val))
    elif dtype == DT_INT64:
        if not is_int64(val):
            raise _type_error(val, dtype)
        tensor.int64_val.append(val)
    elif dtype == DT_BOOL:
        if type(val) is not bool:
            raise _type_error(val, dtype)
        tensor.bool_val.append(val)
    elif dtype == DT_UINT32:
        if not is_uint(val):
            raise _type_error(val, dtype)
        tensor.uint32_val.append(val)
    elif dtype == DT_UINT64:
        if not is_uint64(val):
            raise _type_error(val, dtype)
        tensor.uint64_val.append(val)
    else:
        raise _Status(f"Conversion of JSON Value: {debug_string(val)} to type: {dtype_string(dtype)}", "UNIMPLEMENTED")


# ---- classify / regress ------------------------------------------------------------------


def classification_request_from_json(text: str | bytes) -> ClassificationRequest:
    """The ClassificationRequest TF Serving makes of a REST classify body ("examples" and an
    optional "context", as tf.Examples). Raises ValueError with TF Serving's message."""
    request: ClassificationRequest = _run(_examples_request, text, ClassificationRequest())
    return request


def regression_request_from_json(text: str | bytes) -> RegressionRequest:
    """The RegressionRequest TF Serving makes of a REST regress body."""
    request: RegressionRequest = _run(_examples_request, text, RegressionRequest())
    return request


def _examples_request(text: str | bytes, request: Any) -> Any:
    """FillClassifyRegressRequestFromJson."""
    doc = _document(text)
    _fill_signature(doc, request)
    has_context = "context" in doc
    if has_context:
        request.input.example_list_with_context.context.SetInParent()
        _example(doc["context"], request.input.example_list_with_context.context)
    if "examples" not in doc:
        raise _format_error(doc, "When method is classify, key 'examples' is expected and was not found")
    examples = _list_member(doc, "examples", "Expecting 'examples' value to be an list/array", "'examples' value is an empty array")
    target = request.input.example_list_with_context if has_context else request.input.example_list
    for value in examples:
        _example(value, target.examples.add())
    return request


def _example(value: Any, example: Example) -> None:
    """MakeExampleFromJsonObject."""
    if type(value) is not dict:
        raise _Status(f"Example must be JSON object but got JSON {json_type(value)}")
    for name, content in value.items():
        feature = Feature()
        for item in content if type(content) is list else (content,):
            _add_feature_value(item, name, feature)
        example.features.feature[name].CopyFrom(feature)


_KIND_NAMES = {"bytes_list": "bytes", "float_list": "float", "int64_list": "int64", None: "UNKNOWN"}


def _kind_check(feature: Feature, name: str, kind: str) -> None:
    current = feature.WhichOneof("kind")
    if current is not None and current != kind:
        raise _Status(f"Unexpected element type in feature: {name} expecting type: {_KIND_NAMES[current]}")


def _add_feature_value(val: Any, name: str, feature: Feature) -> None:
    """AddValueToFeature."""
    if val is None or type(val) is list:
        raise _Status(f"Feature: {name} has element with unexpected JSON type: {json_type(val)}")
    if type(val) is bool:
        _kind_check(feature, name, "int64_list")
        feature.int64_list.value.append(1 if val else 0)
    elif type(val) is dict:
        if not is_b64_object(val):
            raise _Status(f"Feature: {name} has element with unexpected JSON type: {json_type(val)}")
        _kind_check(feature, name, "bytes_list")
        decoded = decode_object(val)
        if decoded is None:
            raise _Status("Unable to base64 decode")
        feature.bytes_list.value.append(decoded)
    elif type(val) is str:
        _kind_check(feature, name, "bytes_list")
        feature.bytes_list.value.append(utf8(val))
    elif is_double(val):
        _kind_check(feature, name, "float_list")
        feature.float_list.value.append(float32(_double(val)))
    else:
        _kind_check(feature, name, "int64_list")
        if not is_int64(val) and is_uint64(val):
            raise _Status(f"Feature: {name} has uint64_t element. Only int64_t is supported.")
        feature.int64_list.value.append(val)

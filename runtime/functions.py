"""The `Concrete Functions:` section of `saved_model_cli show --all`, without TensorFlow.

saved_model_cli loads a TF2 model (`tf.saved_model.load`) and lists the functions among
the root object's children, sorted by name, each with its concrete functions ("options")
and their argument specs. Everything it prints is in the model's object graph
(`MetaGraphDef.object_graph_def`): the children, each SavedFunction's concrete functions,
and their `canonicalized_input_signature`s, decoded here into objects that print as TF's
TensorSpec, TensorShape, DType, TypeSpec and namedtuples do.

The order of a function's options is the order of the names TF gives the concrete
functions when it loads them, `__inference_<name>_<uid>` with a process-wide counter, sorted
as strings. `loaded_names` replays that counter over the graph's function library as TF's
loader walks it (functions in its topological order; one uid for each function graph,
each tensor of it and its name); it needs the model's graph_def and stripped op list.
A dict argument prints its keys sorted (TF's order, the protobuf map's, varies from run to
run, as its ops line does). Not replayed: a load that fails (custom ops: saved_model_cli then prints `N/A (...)`),
BoundedTensorSpec bounds and tensor or numpy argument values (printed as TF's class names).
"""

from __future__ import annotations

import collections
import re
from collections.abc import Iterable, Sequence
from typing import Any

from .protos import MetaGraphDef, SavedModel
from .tensors import TensorShape  # prints as TF's tf.TensorShape
from .types import BY_NUMBER

__all__ = ["concrete_functions", "decode", "loaded_names"]

_INFERENCE = "__inference_"
_WRAPPER_NAME = re.compile(r"^__inference_(.*)_\d+$")
_CALL_OPS = ("StatefulPartitionedCall", "PartitionedCall")


def concrete_functions(model: SavedModel, graph_defs: Sequence[bytes] | None = None) -> list[str]:
    """The section's lines (a blank line first), or none for a model without object graph.

    `graph_defs` (one per MetaGraph) give the function order when `model` was read without
    its graphs (`savedmodel.read_with_ops`); by default each MetaGraph's own graph_def."""
    if not any(mg.object_graph_def for mg in model.meta_graphs):
        return []
    out = _Printer()
    out.print("\nConcrete Functions:", end="")
    if len(model.meta_graphs) != 1:  # tf.saved_model.load needs tags then: it fails
        out.print(" N/A (could not be listed due to unknown reasons)")
        return out.lines()
    from google.protobuf.message import DecodeError

    meta_graph = model.meta_graphs[0]
    listed = _Printer()
    try:
        names = loaded_names(meta_graph, graph_defs[0] if graph_defs else meta_graph.graph_def)
        if names is not None:  # None: TF's loader refuses the function library
            _show_functions(listed, meta_graph, names)
    except (DecodeError, ValueError, RecursionError):  # a corrupt graph or object graph: TF fails too
        names = None
    if names is None:
        out.print(" N/A (could not be listed due to unknown reasons)")
    else:
        out.parts += listed.parts
    return out.lines()


def _show_functions(out: _Printer, meta_graph: MetaGraphDef, names: dict[str, str]) -> None:
    from .protos.saved_object_graph_pb2 import SavedObjectGraph

    graph = SavedObjectGraph.FromString(meta_graph.object_graph_def)
    if not graph.nodes:
        return
    if names and any(name not in names for name in _function_names(graph)):
        raise ValueError("a function the library lacks")  # TF's loader fails on it (KeyError)
    for child in sorted(graph.nodes[0].children, key=lambda c: c.local_name):
        node = graph.nodes[child.node_id] if child.node_id < len(graph.nodes) else None
        kind = node.WhichOneof("kind") if node is not None else None
        if node is None or kind not in ("function", "bare_concrete_function"):
            continue
        out.print(f"\n  Function Name: '{child.local_name}'")
        if kind == "function":
            saved = list(node.function.concrete_functions)
            keywords: list[str] = []
        else:
            saved = [node.bare_concrete_function.concrete_function_name]
            keywords = list(node.bare_concrete_function.argument_keywords)
        saved.sort(key=lambda name: names.get(name, name))
        for index, name in enumerate(saved, 1):
            args: Any = None
            kwargs: Any = None
            signature = decode(graph.concrete_functions[name].canonicalized_input_signature) if name in graph.concrete_functions else None
            if signature:
                args, kwargs = signature
            elif keywords:
                args = keywords
            if args:
                out.print(f"    Option #{index}")
                out.print("      Callable with:")
                _print_args(out, args, "Argument")
            if kwargs:
                _print_args(out, kwargs, "Named Argument")


def _function_names(graph: Any) -> Iterable[str]:
    """The concrete functions every function object of the graph names (TF loads them all)."""
    for node in graph.nodes:
        kind = node.WhichOneof("kind")
        if kind == "function":
            yield from node.function.concrete_functions
        elif kind == "bare_concrete_function":
            yield node.bare_concrete_function.concrete_function_name


def _print_args(out: _Printer, arguments: Iterable[Any], kind: str) -> None:
    """saved_model_cli's `_print_args(arguments, kind, indent=4)`, byte for byte (its
    backspaces included)."""
    pad = "        "
    for index, element in enumerate(arguments, 1):
        out.print(f"{pad}{kind} #{index}")
        if isinstance(element, str):
            out.print(f"{pad}  {element}")
        elif isinstance(element, TensorSpec):
            out.print(f"{pad}  {element.name}: {element!r}")
        elif _iterable(element) and not isinstance(element, dict):
            out.print(f"{pad}  DType: {type(element).__name__}")
            out.print(f"{pad}  Value: [", end="")
            for value in element:
                out.print(_quoted(value), end=", ")
            out.print("\b\b]")
        elif isinstance(element, dict):
            out.print(f"{pad}  DType: dict")
            out.print(f"{pad}  Value: {{", end="")
            for key, value in element.items():
                out.print(f"'{key}': {_quoted(value)}", end=", ")
            out.print("\b\b}")
        else:
            out.print(f"{pad}  DType: {type(element).__name__}")
            out.print(f"{pad}  Value: {element}")


def _iterable(value: object) -> bool:
    return isinstance(value, collections.abc.Iterable)


def _quoted(value: object) -> str:
    return f"'{value}'" if isinstance(value, str) else str(value)


class _Printer:
    """Python's print() into a buffer, split into lines at the end."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def print(self, text: str, end: str = "\n") -> None:
        self.parts.append(text + end)

    def lines(self) -> list[str]:
        text = "".join(self.parts)
        return text[:-1].split("\n") if text.endswith("\n") else text.split("\n")


# --- TensorFlow's objects as saved_model_cli prints them --------------------------------


class DType:
    """A DataType as TF's `tf.DType` prints: repr `tf.float32`, str `<dtype: 'float32'>`."""

    def __init__(self, number: int) -> None:
        entry = BY_NUMBER.get(number)
        self.name = entry.python_name or entry.name if entry else str(number)

    def __repr__(self) -> str:
        return f"tf.{self.name}"

    def __str__(self) -> str:
        return f"<dtype: {self.name!r}>"


class TensorSpec:
    """A `tf.TensorSpec` as it prints."""

    def __init__(self, shape: TensorShape, dtype: DType, name: str | None) -> None:
        self.shape, self.dtype, self.name = shape, dtype, name

    def __repr__(self) -> str:
        return f"{type(self).__name__}(shape={self.shape}, dtype={self.dtype!r}, name={self.name!r})"


class BoundedTensorSpec(TensorSpec):
    """A `tf.TensorSpec` subclass with bounds (not printed: they are numpy arrays in TF)."""


class _TypeSpec:
    """A TypeSpec (SparseTensorSpec, RaggedTensorSpec, ...) prints as its class name and its
    serialized state, which is what the object graph stores."""

    def __init__(self, state: Any) -> None:
        self.state = state

    def __repr__(self) -> str:
        return f"{type(self).__name__}{self.state!r}"


_TYPE_SPECS: dict[str, type[_TypeSpec]] = {}


def _type_spec_class(name: str) -> type[_TypeSpec]:
    if name not in _TYPE_SPECS:
        _TYPE_SPECS[name] = type(name or "TypeSpec", (_TypeSpec,), {})
    return _TYPE_SPECS[name]


def decode(value: Any) -> Any:
    """A StructuredValue as TF's nested_structure_coder decodes it (printing like TF's)."""
    kind = value.WhichOneof("kind")
    if kind is None or kind == "none_value":
        return None
    if kind in ("float64_value", "int64_value", "string_value", "bool_value"):
        return getattr(value, kind)
    if kind == "tensor_shape_value":
        return TensorShape(value.tensor_shape_value)
    if kind == "tensor_dtype_value":
        return DType(value.tensor_dtype_value)
    if kind in ("tensor_spec_value", "bounded_tensor_spec_value"):
        spec = getattr(value, kind)
        cls = TensorSpec if kind == "tensor_spec_value" else BoundedTensorSpec
        return cls(TensorShape(spec.shape), DType(spec.dtype), spec.name or None)
    if kind == "type_spec_value":
        spec = value.type_spec_value
        return _type_spec_class(spec.type_spec_class_name)(decode(spec.type_state))
    if kind == "list_value":
        return [decode(v) for v in value.list_value.values]
    if kind == "tuple_value":
        return tuple(decode(v) for v in value.tuple_value.values)
    if kind == "dict_value":  # TF's order is upb's map order, which varies run to run: sorted here
        return {key: decode(value.dict_value.fields[key]) for key in sorted(value.dict_value.fields)}
    if kind == "named_tuple_value":
        items = [(pair.key, decode(pair.value)) for pair in value.named_tuple_value.values]
        return collections.namedtuple(value.named_tuple_value.name, [k for k, _ in items])(**dict(items))
    return _type_spec_class("Tensor" if kind == "tensor_value" else "ndarray")(None)


# --- the names TF's loader gives the concrete functions ---------------------------------


def loaded_names(meta_graph: MetaGraphDef, graph_def: bytes) -> dict[str, str] | None:
    """Saved function name -> its name after `tf.saved_model.load` in a fresh process (as
    saved_model_cli runs it), or None where TF's loader fails (a dependency cycle, or a
    function that calls one the library lacks)."""
    from .protos.graph_pb2 import GraphDef
    from .protos.op_def_pb2 import OpList

    library = GraphDef.FromString(graph_def).library
    op_defs = {op.name: op for op in OpList.FromString(meta_graph.meta_info_def.stripped_op_list).op}
    functions = {f.signature.name: f for f in library.function}
    uid = _Counter()
    uid.take()  # saved_model_cli: `with Graph().as_default()`
    uid.take()  # the loader's shared-name suffix
    gradients: dict[bytes, str] = {}
    for registered in library.registered_gradients:
        if registered.registered_op_type:
            uid.take()  # custom_gradient.generate_name()
            gradients[registered.registered_op_type.encode()] = registered.gradient_func
    deps = {name: _deps(function, functions, gradients) for name, function in functions.items()}
    order = _topological(list(functions), deps)
    if order is None:
        return None
    names: dict[str, str] = {}
    for name in order:
        function = functions[name]
        uid.take(_hash_table_fixes(function))
        uid.take()  # the FuncGraph
        uid.take(len(function.signature.input_arg) + sum(_outputs(node, op_defs, functions) for node in function.node_def))
        match = _WRAPPER_NAME.match(name)
        names[name] = f"{_INFERENCE}{match.group(1) if match else name}_{uid.take()}"
    return names


class _Counter:
    """TF's `ops.uid()`: a process-wide counter from 0."""

    def __init__(self) -> None:
        self.next = 0

    def take(self, count: int = 1) -> int:
        self.next += count
        return self.next - 1


def _deps(function: Any, functions: dict[str, Any], gradients: dict[bytes, str]) -> set[str]:
    """TF's `_list_function_deps`: the functions a function's nodes call or name."""
    found: set[str] = set()
    for node in function.node_def:
        gradient = node.attr["_gradient_op_type"].s if "_gradient_op_type" in node.attr and node.op not in _CALL_OPS else None
        if node.op in functions:
            found.add(node.op)
        elif gradient and gradient in gradients:
            found.add(gradients[gradient])
        else:
            for attr in node.attr.values():
                which = attr.WhichOneof("value")
                if which == "func":
                    found.add(attr.func.name)
                elif which == "list":
                    found.update(f.name for f in attr.list.func)
    return found


def _topological(names: list[str], deps: dict[str, set[str]]) -> list[str] | None:
    """TF's `_sort_function_defs`: ready functions taken last-in first-out."""
    edges: dict[str, list[str]] = collections.defaultdict(list)
    waiting: dict[str, int] = collections.defaultdict(int)
    for name in names:
        for dep in deps[name]:
            edges[dep].append(name)
            waiting[name] += 1
    ready = [name for name in names if waiting[name] == 0]
    order: list[str] = []
    while ready:
        name = ready.pop()
        order.append(name)
        for dest in edges[name]:
            waiting[dest] -= 1
            if not waiting[dest]:
                ready.append(dest)
    return order if len(order) == len(names) else None


def _hash_table_fixes(function: Any) -> int:
    """TF's loader renames the shared name of each HashTableV2 without node-name sharing."""
    return sum(1 for n in function.node_def if n.op == "HashTableV2" and not ("use_node_name_sharing" in n.attr and n.attr["use_node_name_sharing"].b))


def _outputs(node: Any, op_defs: dict[str, Any], functions: dict[str, Any]) -> int:
    """How many tensors a node has (each takes a uid when TF imports the function)."""
    if node.op in functions:
        return len(functions[node.op].signature.output_arg)
    op_def = op_defs.get(node.op)
    if op_def is None:
        return 1
    count = 0
    for arg in op_def.output_arg:
        if arg.number_attr:
            count += _attr(node, op_def, arg.number_attr).i
        elif arg.type_list_attr:
            count += len(_attr(node, op_def, arg.type_list_attr).list.type)
        else:
            count += 1
    return count


def _attr(node: Any, op_def: Any, name: str) -> Any:
    """A node's attribute, or its op's default (graphs are saved with defaults stripped)."""
    if name in node.attr:
        return node.attr[name]
    return next((a.default_value for a in op_def.attr if a.name == name), type(node.attr[name])())

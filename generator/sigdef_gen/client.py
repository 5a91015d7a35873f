"""`sigdef-gen client`: a model's serving contract -> ClientPackage IR -> rendered, formatted files.

The contract is the model's OpenAPI document (`sigdef.openapi`); its request schemas compile
with the same keyword compiler as the signature kinds, render through the same validator
templates and `py` filter, format with the same black cache and publish with the same writer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment

from sigdef import contract, savedmodel
from sigdef.openapi import openapi_document
from sigdef.protos import TensorInfo

from .cache import Cache
from .errors import Location, fail
from .format import format_python
from .ir import ClientCall, ClientInput, ClientPackage, ClientSignature
from .jsc.compiler import CompileError, compile_schemas
from .jsc.render import render_entry_source, render_shared_source
from .model import package_name_ok
from .templating import identifier

OPENAPI_URI = "urn:sigdef:openapi"
_PYTHON_TYPES = {"DT_STRING": "str | bytes", "DT_BOOL": "bool"}


def build_client(model_dir: Path, package: str, *, tag_set: str = "serve", model_name: str | None = None, mode: str = "strict") -> ClientPackage:
    """Read the model and make the client's IR: functions, arguments, examples, validators."""
    if not package_name_ok(package):
        raise fail(Location("--package"), "PACKAGE_NAME", f"{package!r} is not a valid package name")
    model = savedmodel.read(model_dir)
    name = model_name or contract.served_name(model_dir)
    document = openapi_document(model, name, tag_set=tag_set, mode=mode)
    meta_graph = savedmodel.find_meta_graph(model, tag_set)
    functions: set[str] = {"Call", "SignatureDef", "SIGNATURES", "MODEL_NAME", "OPENAPI"}
    signatures = []
    roots: list[tuple[str, str]] = []
    registry: dict[str, Any] = {OPENAPI_URI: document}
    for key, signature in sorted(meta_graph.signature_def.items()):
        calls = []
        args: set[str] = {"version"}
        inputs = tuple(ClientInput(n, identifier(n, args), _annotation(i)) for n, i in sorted(signature.inputs.items()))
        for verb in contract.signature_verbs(signature):
            component = contract.component_name(verb, key, "request")
            function = identifier(f"{verb}_{key}", functions)
            roots.append((function, f"{OPENAPI_URI}/{function}"))
            registry[roots[-1][1]] = {"$ref": f"{OPENAPI_URI}#/components/schemas/{contract.json_pointer_token(component)}"}
            example = document["components"]["schemas"][component]["examples"][0]
            kwargs, body = _columnar(example, inputs) if verb == "predict" else ({}, example)
            satisfiable = verb != "predict" or (bool(signature.inputs) and not contract.unsupported_inputs(signature))
            calls.append(ClientCall(verb, function, function, example, kwargs, body, satisfiable))
        signatures.append(ClientSignature(key, signature.method_name, signature.SerializeToString(deterministic=True).hex(), inputs, tuple(sorted(signature.outputs)), tuple(calls)))
    try:
        validators = compile_schemas(roots, registry)
    except CompileError as exc:  # a contract the compiler cannot take is sigdef's bug, not the user's
        raise fail(Location(str(model_dir), str(exc.location)), "CONTRACT_COMPILE", str(exc)) from None
    return ClientPackage(package, name, mode, tuple(signatures), validators, document)


def _annotation(info: TensorInfo) -> str:
    """`Sequence[Sequence[float]] | ArrayLike` for a rank-2 float tensor; `object` for unknown rank."""
    kind = contract.dtype_name(info.dtype)
    element = _PYTHON_TYPES.get(kind, "float" if kind in ("DT_FLOAT", "DT_DOUBLE") else "int" if contract.element_schema(info.dtype) else "object")
    dims = contract.tensor_dims(info)
    if dims is None:
        return "object"
    annotation = element
    for _ in dims:
        annotation = f"Sequence[{annotation}]"
    return annotation if annotation == element else f"{annotation} | ArrayLike"


def _columnar(example: dict[str, Any], inputs: tuple[ClientInput, ...]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The client's arguments for an example body, and the columnar body the client makes of them."""
    head = {k: v for k, v in example.items() if k == "signature_name"}
    if "inputs" in example:
        values = example["inputs"] if len(inputs) > 1 else {inputs[0].name: example["inputs"]}
    else:
        rows = example["instances"]
        values = {i.name: [row[i.name] if len(inputs) > 1 else row for row in rows] for i in inputs}
    kwargs = {i.arg: values[i.name] for i in inputs}
    return kwargs, {**head, "inputs": {i.name: values[i.name] for i in inputs}}


def client_files(client: ClientPackage, env: Environment, cache: Cache) -> dict[str, bytes]:
    """Every file of the client, keyed as `write.Layout` resolves them."""
    name = f"package/{client.name}"
    files: dict[str, str] = {}

    def put(path: str, template: str, **context: Any) -> None:
        files[path] = env.get_template(template).render(client=client, **context)

    put(f"{name}/__init__.py", "client/init.py.jinja")
    put(f"{name}/py.typed", "package/py.typed.jinja")
    runtime = "sigdef._schema_runtime"
    put(f"{name}/validators/__init__.py", "client/validators_init.py.jinja")
    shared = render_shared_source(client.validators, runtime_import=runtime)
    put(f"{name}/validators/_shared.py", "package/validator.py.jinja", source=shared, origin=client.model_name)
    for entry in client.validators.entries:
        source = render_entry_source(entry, runtime_import=runtime, shared_import=f"{client.name}.validators._shared")
        put(f"{name}/validators/{entry.name}.py", "package/validator.py.jinja", source=source, origin=client.model_name)
    put(f"tests/test_{client.name}.py", "client/test_client.py.jinja")
    out = {k: v.encode("utf-8") for k, v in files.items() if not k.endswith(".py")}
    out.update((k, v.encode("utf-8")) for k, v in format_python({k: v for k, v in files.items() if k.endswith(".py")}, cache).items())
    out[f"{name}/openapi.json"] = (json.dumps(client.openapi, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return dict(sorted(out.items()))

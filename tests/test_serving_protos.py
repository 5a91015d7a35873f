"""TF Serving's API messages in sigdef.protos: TF Serving's field numbers (bytes interchange with
`tensorflow_serving.apis`, skipped where tensorflow-serving-api is absent), loaded lazily."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from sigdef import protos

# sigdef name -> (tensorflow_serving / tensorflow module, name there)
PAIRS = {
    "ModelSpec": ("tensorflow_serving.apis.model_pb2", "ModelSpec"),
    "PredictRequest": ("tensorflow_serving.apis.predict_pb2", "PredictRequest"),
    "PredictResponse": ("tensorflow_serving.apis.predict_pb2", "PredictResponse"),
    "ClassificationRequest": ("tensorflow_serving.apis.classification_pb2", "ClassificationRequest"),
    "ClassificationResponse": ("tensorflow_serving.apis.classification_pb2", "ClassificationResponse"),
    "ClassificationResult": ("tensorflow_serving.apis.classification_pb2", "ClassificationResult"),
    "RegressionRequest": ("tensorflow_serving.apis.regression_pb2", "RegressionRequest"),
    "RegressionResponse": ("tensorflow_serving.apis.regression_pb2", "RegressionResponse"),
    "RegressionResult": ("tensorflow_serving.apis.regression_pb2", "RegressionResult"),
    "Input": ("tensorflow_serving.apis.input_pb2", "Input"),
    "ExampleList": ("tensorflow_serving.apis.input_pb2", "ExampleList"),
    "ExampleListWithContext": ("tensorflow_serving.apis.input_pb2", "ExampleListWithContext"),
    "GetModelMetadataRequest": ("tensorflow_serving.apis.get_model_metadata_pb2", "GetModelMetadataRequest"),
    "GetModelMetadataResponse": ("tensorflow_serving.apis.get_model_metadata_pb2", "GetModelMetadataResponse"),
    "SignatureDefMap": ("tensorflow_serving.apis.get_model_metadata_pb2", "SignatureDefMap"),
    "Example": ("tensorflow.core.example.example_pb2", "Example"),
    "Features": ("tensorflow.core.example.feature_pb2", "Features"),
}

PREDICT = """
model_spec { name: "m" version { value: 7 } signature_name: "serving_default" }
inputs { key: "x" value { dtype: DT_FLOAT tensor_shape { dim { size: 2 } } float_val: 1.5 float_val: -0.0 } }
inputs { key: "s" value { dtype: DT_STRING string_val: "\\377a" } }
output_filter: "y"
predict_streamed_options { request_state: SPLIT split_dimensions { key: "x" value: 0 } }
client_id: "c"
request_options { deterministic_mode: FIXED_DECODER_SLOT return_stoptokens: 5 max_cache_length: 9 handshake { estimated_payload_bytes: 3 } }
"""
CLASSIFY = """
model_spec { name: "m" version_label: "stable" }
input { example_list_with_context {
  examples { features { feature { key: "f" value { float_list { value: 1.0 value: 2.5 } } } } }
  examples { features { feature { key: "g" value { int64_list { value: -3 } } } } }
  context { features { feature { key: "c" value { bytes_list { value: "x" } } } } }
} }
"""
RESULT = "classifications { classes { label: \"a\" score: 0.25 } classes { score: 1e30 } }"


# Messages this issue added (the SignatureDef/TensorProto ones have their own tests).
OURS = ("tensorflow.serving.", "tensorflow.Example", "tensorflow.Feature", "tensorflow.BytesList", "tensorflow.FloatList", "tensorflow.Int64List")


def _samples() -> list[tuple[str, str]]:
    return [
        ("PredictRequest", PREDICT),
        ("PredictResponse", 'model_spec { name: "m" } outputs { key: "y" value { dtype: DT_INT64 int64_val: -1 } }'),
        ("ClassificationRequest", CLASSIFY),
        ("RegressionRequest", CLASSIFY),
        ("ClassificationResponse", "result { " + RESULT + " }"),
        ("RegressionResponse", "result { regressions { value: 3.5 } regressions { value: -1 } }"),
        ("GetModelMetadataRequest", 'model_spec { name: "m" } metadata_field: "signature_def"'),
        ("SignatureDefMap", 'signature_def { key: "k" value { method_name: "tensorflow/serving/predict" inputs { key: "x" value { name: "x:0" dtype: DT_FLOAT } } } }'),
        ("Input", 'example_list { examples { features { feature { key: "f" value { bytes_list { value: "v" } } } } } }'),
    ]


def test_serving_protos_load_lazily() -> None:
    code = (
        "import sys, sigdef.protos as p\n"
        "assert not any(m.endswith(('.predict_pb2', '.example_pb2', '.model_pb2')) for m in sys.modules), sorted(sys.modules)\n"
        "r = p.PredictRequest()\n"
        "assert 'sigdef.protos.predict_pb2' in sys.modules\n"
        "print(r.DESCRIPTOR.full_name)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "sigdef.tensorflow.serving.PredictRequest"


def test_proto_packages_and_unknown_name() -> None:
    assert protos.Example.DESCRIPTOR.full_name == "sigdef.tensorflow.Example"
    assert protos.ModelSpec.DESCRIPTOR.full_name == "sigdef.tensorflow.serving.ModelSpec"
    assert "PredictRequest" in dir(protos)
    with pytest.raises(AttributeError, match="NoSuchMessage"):
        getattr(protos, "NoSuchMessage")


@pytest.mark.parametrize("name,text", _samples(), ids=[s[0] for s in _samples()])
def test_bytes_interchange_with_tensorflow_serving(name: str, text: str) -> None:
    pytest.importorskip("tensorflow_serving.apis.predict_pb2", reason="tensorflow-serving-api is not installed")
    from google.protobuf import text_format

    module, theirs_name = PAIRS[name]
    theirs_cls = getattr(importlib.import_module(module), theirs_name)
    ours = text_format.Parse(text, getattr(protos, name)())
    theirs = theirs_cls.FromString(ours.SerializeToString(deterministic=True))
    # Same text (so every field was known to both sides under the same number) and same bytes back.
    assert text_format.MessageToString(theirs) == text_format.MessageToString(ours)
    back = getattr(protos, name).FromString(theirs.SerializeToString(deterministic=True))
    assert back.SerializeToString(deterministic=True) == ours.SerializeToString(deterministic=True)


def test_every_field_number_matches_tensorflow_serving() -> None:
    pytest.importorskip("tensorflow_serving.apis.predict_pb2", reason="tensorflow-serving-api is not installed")

    def fields(descriptor: object, seen: set[str]) -> dict[str, tuple[int, int, int]]:
        out: dict[str, tuple[int, int, int]] = {}
        name = descriptor.full_name.removeprefix("sigdef.")  # type: ignore[attr-defined]
        if name in seen:
            return out
        seen.add(name)
        for f in descriptor.fields:  # type: ignore[attr-defined]
            out[f"{name}.{f.name}"] = (f.number, f.type, int(f.is_repeated))
            if f.message_type is not None and f.message_type.full_name.removeprefix("sigdef.").startswith(OURS):
                out.update(fields(f.message_type, seen))
        return out

    for name, (module, theirs_name) in PAIRS.items():
        theirs = getattr(importlib.import_module(module), theirs_name).DESCRIPTOR
        assert fields(getattr(protos, name).DESCRIPTOR, set()) == fields(theirs, set()), name

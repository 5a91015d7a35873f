"""sigdef.serving.Client over real gRPC on 127.0.0.1 without TensorFlow (runs in CI: grpcio
comes with grpcio-tools): an in-test PredictionService that echoes what it is sent, written
with sigdef's own messages. The TensorFlow-backed end-to-end test is test_serving_grpc.py."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from concurrent import futures
from typing import Any

import pytest

pytestmark = pytest.mark.skipif(importlib.util.find_spec("grpc") is None, reason="needs grpcio (pip install 'sigdef[grpc]')")

from sigdef import protos, serving  # noqa: E402


class _Echo:
    """Predict: outputs = inputs; Classify/Regress: one result per example; metadata: one signature."""

    def predict(self, request: protos.PredictRequest, context: Any) -> protos.PredictResponse:
        if request.model_spec.name == "missing":
            import grpc

            context.abort(grpc.StatusCode.NOT_FOUND, "Servable not found for request: Latest(missing)")
        response = protos.PredictResponse(model_spec=request.model_spec)
        for name, tensor in request.inputs.items():
            response.outputs[name + "_echo"].CopyFrom(tensor)
        return response

    def classify(self, request: protos.ClassificationRequest, context: Any) -> protos.ClassificationResponse:
        response = protos.ClassificationResponse(model_spec=request.model_spec)
        for example in request.input.example_list.examples:
            response.result.classifications.add().classes.add(label="n", score=len(example.features.feature))
        return response

    def regress(self, request: protos.RegressionRequest, context: Any) -> protos.RegressionResponse:
        response = protos.RegressionResponse(model_spec=request.model_spec)
        for example in request.input.example_list.examples:
            response.result.regressions.add(value=example.features.feature["x"].float_list.value[0])
        return response

    def get_model_metadata(self, request: protos.GetModelMetadataRequest, context: Any) -> protos.GetModelMetadataResponse:
        signatures = protos.SignatureDefMap()
        signatures.signature_def["serving_default"].method_name = "tensorflow/serving/predict"
        response = protos.GetModelMetadataResponse(model_spec=request.model_spec)
        entry = response.metadata["signature_def"]
        entry.type_url = "type.googleapis.com/tensorflow.serving.SignatureDefMap"  # TF Serving's type name
        entry.value = signatures.SerializeToString()
        return response


@pytest.fixture(scope="module")
def target() -> Iterator[str]:
    import grpc

    echo = _Echo()
    handlers = {
        name: grpc.unary_unary_rpc_method_handler(
            getattr(echo, method), request_deserializer=request.FromString, response_serializer=lambda m: m.SerializeToString()
        )
        for name, method, request in (
            ("Predict", "predict", protos.PredictRequest),
            ("Classify", "classify", protos.ClassificationRequest),
            ("Regress", "regress", protos.RegressionRequest),
            ("GetModelMetadata", "get_model_metadata", protos.GetModelMetadataRequest),
        )
    }
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("tensorflow.serving.PredictionService", handlers),))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.stop(grace=None).wait(30)


def test_every_method_round_trips(target: str) -> None:
    signature = {"x": protos.TensorInfo(dtype=protos.DataType.Value("DT_FLOAT"))}
    request = serving.predict_request_from_json('{"instances": [[1.5, 2], [3, -4]]}', signature)
    request.model_spec.name = "m"
    request.model_spec.version.value = 3
    with serving.Client(target) as client:
        predicted = client.predict(request, timeout=30)
        classified = client.classify(serving.classification_request_from_json('{"examples": [{"a": 1, "b": "x"}, {}]}'), timeout=30)
        regressed = client.regress(serving.regression_request_from_json('{"examples": [{"x": 2.5}]}'), timeout=30)
        metadata = client.get_model_metadata("m", timeout=30)
    assert predicted.model_spec.version.value == 3 and predicted.outputs["x_echo"] == request.inputs["x"]
    assert serving.json_from_tensors(predicted.outputs, "row") == '{\n    "predictions": [[1.5, 2.0], [3.0, -4.0]\n    ]\n}'
    assert [c.classes[0].score for c in classified.result.classifications] == [2.0, 0.0]
    assert [r.value for r in regressed.result.regressions] == [2.5]
    assert metadata.model_spec.name == "m"
    assert list(serving.signature_def_map(metadata).signature_def) == ["serving_default"]


def test_rpc_errors_and_an_existing_channel(target: str) -> None:
    import grpc

    request = protos.PredictRequest()
    request.model_spec.name = "missing"
    with serving.Client(target) as client, pytest.raises(grpc.RpcError) as info:
        client.predict(request, timeout=30, metadata=[("x-request-id", "1")])
    assert info.value.code() == grpc.StatusCode.NOT_FOUND
    assert info.value.details() == "Servable not found for request: Latest(missing)"
    channel = grpc.insecure_channel(target)
    with serving.Client(target, channel=channel) as client:
        assert client.channel is channel
        assert client.get_model_metadata(protos.GetModelMetadataRequest(), timeout=30).metadata["signature_def"].value


def test_tensorflow_servings_own_request_messages(target: str) -> None:
    predict_pb2 = pytest.importorskip("tensorflow_serving.apis.predict_pb2", reason="tensorflow-serving-api is not installed")
    theirs = predict_pb2.PredictRequest()
    theirs.model_spec.name = "m"
    theirs.inputs["s"].string_val.append(b"abc")
    with serving.Client(target) as client:
        response = client.predict(theirs, timeout=30)
    assert isinstance(response, protos.PredictResponse)
    assert list(response.outputs["s_echo"].string_val) == [b"abc"]


def test_signature_def_map_rejects_other_metadata() -> None:
    response = protos.GetModelMetadataResponse()
    with pytest.raises(ValueError, match="no 'signature_def' metadata"):
        serving.signature_def_map(response)
    response.metadata["signature_def"].type_url = "type.googleapis.com/google.protobuf.Empty"
    with pytest.raises(ValueError, match="not a SignatureDefMap"):
        serving.signature_def_map(response)

"""sigdef.serving.Client end to end: a real gRPC server on 127.0.0.1 (port 0, stopped by the
fixture) whose PredictionService runs a real SavedModel's signatures with TensorFlow (TF
Serving's own request/response messages when tensorflow-serving-api is installed). Requests are
built TF-free with sigdef's codec; responses decoded and compared with TF's direct call.
Skipped where TensorFlow or grpcio is absent."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from concurrent import futures
from pathlib import Path
from typing import Any

import pytest

import sigdef

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("tensorflow") is None or importlib.util.find_spec("grpc") is None,
    reason="needs TensorFlow and grpcio (pip install -e '.[bench-tf,grpc]')",
)

from sigdef import protos, savedmodel, serving  # noqa: E402

TIMEOUT = 60.0


def _save_model(path: Path) -> None:
    import tensorflow as tf

    class Model(tf.Module):  # type: ignore[misc]
        @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32, name="x"), tf.TensorSpec([None], tf.string, name="s")])  # type: ignore[misc]
        def predict(self, x: Any, s: Any) -> dict[str, Any]:
            return {"y": x * 2.0 + 0.1, "n": tf.strings.length(s), "echo_bytes": s, "k": tf.cast(tf.reduce_sum(x, 1), tf.int64)}

        def _x(self, serialized: Any) -> Any:
            return tf.io.parse_example(serialized, {"x": tf.io.FixedLenFeature([1], tf.float32)})["x"]

        @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="inputs")])  # type: ignore[misc]
        def classify(self, serialized: Any) -> dict[str, Any]:
            x = self._x(serialized)
            scores = tf.concat([tf.sigmoid(x), 1.0 - tf.sigmoid(x)], axis=1)
            classes = tf.tile(tf.constant([["yes", "no"]]), [tf.shape(serialized)[0], 1])
            return {"scores": scores, "classes": classes}

        @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="inputs")])  # type: ignore[misc]
        def regress(self, serialized: Any) -> dict[str, Any]:
            return {"outputs": self._x(serialized)[:, 0] * 3.0 - 0.2}

    model = Model()
    tf.saved_model.save(model, str(path), signatures={"serving_default": model.predict, "classify": model.classify, "regress": model.regress})


def _apis() -> dict[str, Any]:
    """The server's messages: TF Serving's own when installed, else sigdef's."""
    if importlib.util.find_spec("tensorflow_serving") is not None:
        from tensorflow_serving.apis import classification_pb2, get_model_metadata_pb2, predict_pb2, regression_pb2

        return {
            "PredictRequest": predict_pb2.PredictRequest,
            "PredictResponse": predict_pb2.PredictResponse,
            "ClassificationRequest": classification_pb2.ClassificationRequest,
            "ClassificationResponse": classification_pb2.ClassificationResponse,
            "RegressionRequest": regression_pb2.RegressionRequest,
            "RegressionResponse": regression_pb2.RegressionResponse,
            "GetModelMetadataRequest": get_model_metadata_pb2.GetModelMetadataRequest,
            "GetModelMetadataResponse": get_model_metadata_pb2.GetModelMetadataResponse,
            "SignatureDefMap": get_model_metadata_pb2.SignatureDefMap,
        }
    return {name: getattr(protos, name) for name in (
        "PredictRequest", "PredictResponse", "ClassificationRequest", "ClassificationResponse", "RegressionRequest",
        "RegressionResponse", "GetModelMetadataRequest", "GetModelMetadataResponse", "SignatureDefMap")}


class _PredictionService:
    """TF Serving's PredictionService over a loaded SavedModel, run by TensorFlow."""

    def __init__(self, path: Path) -> None:
        import tensorflow as tf

        self.tf = tf
        self.path = path
        self.signatures = tf.saved_model.load(str(path)).signatures
        self.apis = _apis()

    def _signature(self, spec: Any, context: Any) -> Any:
        import grpc

        key = spec.signature_name or "serving_default"
        if key not in self.signatures:
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, f"Serving signature key \"{key}\" not found.")
        return self.signatures[key]

    def predict(self, request: Any, context: Any) -> Any:
        tf = self.tf
        outputs = self._signature(request.model_spec, context)(**{k: tf.constant(tf.make_ndarray(v)) for k, v in request.inputs.items()})
        response = self.apis["PredictResponse"]()
        response.model_spec.CopyFrom(request.model_spec)
        for name, value in outputs.items():
            response.outputs[name].CopyFrom(tf.make_tensor_proto(value.numpy()))
        return response

    def _examples(self, request: Any) -> Any:
        return self.tf.constant([e.SerializeToString() for e in request.input.example_list.examples])

    def classify(self, request: Any, context: Any) -> Any:
        out = self._signature(request.model_spec, context)(inputs=self._examples(request))
        response = self.apis["ClassificationResponse"]()
        response.model_spec.CopyFrom(request.model_spec)
        for labels, scores in zip(out["classes"].numpy(), out["scores"].numpy()):
            classifications = response.result.classifications.add()
            for label, score in zip(labels, scores):
                classifications.classes.add(label=label.decode(), score=score)
        return response

    def regress(self, request: Any, context: Any) -> Any:
        out = self._signature(request.model_spec, context)(inputs=self._examples(request))
        response = self.apis["RegressionResponse"]()
        response.model_spec.CopyFrom(request.model_spec)
        for value in out["outputs"].numpy():
            response.result.regressions.add(value=value)
        return response

    def get_model_metadata(self, request: Any, context: Any) -> Any:
        from tensorflow.core.protobuf import saved_model_pb2

        model = saved_model_pb2.SavedModel.FromString((self.path / "saved_model.pb").read_bytes())
        signatures = self.apis["SignatureDefMap"]()
        for key, signature in model.meta_graphs[0].signature_def.items():
            signatures.signature_def[key].MergeFromString(signature.SerializeToString())
        response = self.apis["GetModelMetadataResponse"]()
        response.model_spec.CopyFrom(request.model_spec)
        response.metadata["signature_def"].Pack(signatures)
        return response


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, _PredictionService]]:
    import grpc

    path = tmp_path_factory.mktemp("model") / "1"
    _save_model(path)
    service = _PredictionService(path)
    apis = service.apis
    handlers = {
        name: grpc.unary_unary_rpc_method_handler(
            getattr(service, method), request_deserializer=apis[request].FromString, response_serializer=lambda m: m.SerializeToString()
        )
        for name, method, request in (
            ("Predict", "predict", "PredictRequest"),
            ("Classify", "classify", "ClassificationRequest"),
            ("Regress", "regress", "RegressionRequest"),
            ("GetModelMetadata", "get_model_metadata", "GetModelMetadataRequest"),
        )
    }
    grpc_server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    grpc_server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("tensorflow.serving.PredictionService", handlers),))
    port = grpc_server.add_insecure_port("127.0.0.1:0")
    grpc_server.start()
    try:
        yield f"127.0.0.1:{port}", service
    finally:
        grpc_server.stop(grace=None).wait(TIMEOUT)


def _ndarray(tensor: Any) -> Any:
    """The response tensor decoded TF-free, as a client without TensorFlow decodes it."""
    return sigdef.make_ndarray(tensor)


BODY_ROWS = {"instances": [{"x": [1.5, -2.0, 3.25], "s": "héllo"}, {"x": [0.0, 1e-3, 7.0], "s": "\u00ff"}]}
BODY_COLUMNS = {"signature_name": "serving_default", "inputs": {"x": [[1.5, -2.0, 3.25], [0.0, 1e-3, 7.0]], "s": ["héllo", "\u00ff"]}}


@pytest.mark.parametrize("body", [BODY_ROWS, BODY_COLUMNS], ids=["row", "columnar"])
def test_predict_end_to_end(server: tuple[str, _PredictionService], body: dict[str, Any]) -> None:
    import numpy as np

    target, service = server
    model = savedmodel.read(service.path)  # TF-free
    signature = savedmodel.find_meta_graph(model, "serve").signature_def["serving_default"]
    request, format = serving.predict_request_and_format_from_json(json.dumps(body), signature)
    request.model_spec.name = "m"
    with serving.Client(target) as client:
        response = client.predict(request, timeout=TIMEOUT)
    assert isinstance(response, protos.PredictResponse) and response.model_spec.name == "m"
    direct = service.signatures["serving_default"](
        x=np.array([[1.5, -2.0, 3.25], [0.0, 1e-3, 7.0]], np.float32), s=np.array(["héllo".encode(), "\u00ff".encode()], object)
    )
    assert set(response.outputs) == set(direct) == {"y", "n", "echo_bytes", "k"}
    for name, value in direct.items():
        np.testing.assert_array_equal(_ndarray(response.outputs[name]), value.numpy())
    # and back to REST JSON, as TF Serving would answer this body
    answer = json.loads(serving.json_from_tensors(response.outputs, format))
    rows = answer["predictions"] if format == "row" else [dict(zip(answer["outputs"], v)) for v in zip(*answer["outputs"].values())]
    assert [r["echo_bytes"] for r in rows] == [{"b64": "aMOpbGxv"}, {"b64": "w78="}]
    np.testing.assert_array_equal(np.array([r["y"] for r in rows], np.float32), direct["y"].numpy())  # %g text, float32 value


def test_classify_and_regress_end_to_end(server: tuple[str, _PredictionService]) -> None:
    import numpy as np

    target, service = server
    classify = serving.classification_request_from_json('{"signature_name": "classify", "examples": [{"x": 0.5}, {"x": [-1.25]}]}')
    regress = serving.regression_request_from_json('{"signature_name": "regress", "examples": [{"x": 0.5}, {"x": 4.0}]}')
    with serving.Client(target) as client:
        classified = client.classify(classify, timeout=TIMEOUT)
        regressed = client.regress(regress, timeout=TIMEOUT)
    serialized = [e.SerializeToString() for e in classify.input.example_list.examples]  # TF-free bytes
    direct = service.signatures["classify"](inputs=np.array(serialized, object))
    got = [[(c.label, c.score) for c in cl.classes] for cl in classified.result.classifications]
    want = [[(l.decode(), float(s)) for l, s in zip(ls, ss)] for ls, ss in zip(direct["classes"].numpy(), direct["scores"].numpy())]
    assert got == want
    examples = [e.SerializeToString() for e in regress.input.example_list.examples]
    values = service.signatures["regress"](inputs=np.array(examples, object))["outputs"].numpy()
    assert [r.value for r in regressed.result.regressions] == values.tolist()
    np.testing.assert_array_equal(np.array(json.loads(serving.json_from_regression_result(regressed.result))["results"], np.float32), values)


def test_get_model_metadata_end_to_end(server: tuple[str, _PredictionService]) -> None:
    target, service = server
    with serving.Client(target) as client:
        response = client.get_model_metadata("m", timeout=TIMEOUT)
    assert response.model_spec.name == "m"
    signatures = serving.signature_def_map(response)
    model = savedmodel.read(service.path)
    wanted = savedmodel.find_meta_graph(model, "serve").signature_def
    assert {"serving_default", "classify", "regress"} <= set(wanted) <= set(signatures.signature_def)
    for key, signature in wanted.items():
        assert signatures.signature_def[key] == signature


def test_rpc_errors_surface_as_grpc_errors(server: tuple[str, _PredictionService]) -> None:
    import grpc

    target, _ = server
    request = protos.PredictRequest()
    request.model_spec.signature_name = "no_such_signature"
    with serving.Client(target) as client, pytest.raises(grpc.RpcError) as info:
        client.predict(request, timeout=TIMEOUT)
    assert info.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "no_such_signature" in info.value.details()

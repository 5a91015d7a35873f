"""A gRPC client for TF Serving's PredictionService, without TensorFlow or generated stubs:
grpcio's generic `unary_unary` calls with sigdef's messages (install the `grpc` extra)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..protos import (
    ClassificationResponse,
    GetModelMetadataRequest,
    GetModelMetadataResponse,
    PredictResponse,
    RegressionResponse,
    SignatureDefMap,
)

__all__ = ["Client", "SERVICE", "signature_def_map"]

SERVICE = "tensorflow.serving.PredictionService"
SIGNATURE_DEF_TYPE_URL = "type.googleapis.com/tensorflow.serving.SignatureDefMap"
Metadata = Sequence[tuple[str, str | bytes]]


def _serialize(message: Any) -> bytes:
    """Any request message, sigdef's or tensorflow_serving's (same wire format)."""
    data: bytes = message.SerializeToString()
    return data


class Client:
    """`Client("localhost:8500")`: predict, classify, regress and get_model_metadata on a
    TF Serving model server. Requests are sigdef.protos messages (or TF Serving's own);
    responses are sigdef.protos messages. RPC failures raise grpc.RpcError.

    `credentials` (grpc.ChannelCredentials) makes a secure channel; `options` are grpc
    channel options; `channel` uses an existing grpc.Channel instead of making one."""

    def __init__(
        self,
        target: str,
        *,
        credentials: Any = None,
        options: Sequence[tuple[str, Any]] | None = None,
        channel: Any = None,
    ) -> None:
        try:
            import grpc
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError("sigdef.serving.Client needs grpcio: pip install 'sigdef[grpc]'") from e
        if channel is None:
            if credentials is None:
                channel = grpc.insecure_channel(target, options=options)
            else:
                channel = grpc.secure_channel(target, credentials, options=options)
        self.target = target
        self.channel = channel

        def method(name: str, response: Any) -> Any:
            return channel.unary_unary(f"/{SERVICE}/{name}", request_serializer=_serialize, response_deserializer=response.FromString)

        self._predict = method("Predict", PredictResponse)
        self._classify = method("Classify", ClassificationResponse)
        self._regress = method("Regress", RegressionResponse)
        self._metadata = method("GetModelMetadata", GetModelMetadataResponse)

    def predict(self, request: Any, *, timeout: float | None = None, metadata: Metadata | None = None) -> PredictResponse:
        """PredictionService.Predict for a PredictRequest."""
        response: PredictResponse = self._predict(request, timeout=timeout, metadata=metadata)
        return response

    def classify(self, request: Any, *, timeout: float | None = None, metadata: Metadata | None = None) -> ClassificationResponse:
        """PredictionService.Classify for a ClassificationRequest."""
        response: ClassificationResponse = self._classify(request, timeout=timeout, metadata=metadata)
        return response

    def regress(self, request: Any, *, timeout: float | None = None, metadata: Metadata | None = None) -> RegressionResponse:
        """PredictionService.Regress for a RegressionRequest."""
        response: RegressionResponse = self._regress(request, timeout=timeout, metadata=metadata)
        return response

    def get_model_metadata(
        self, request: Any, *, timeout: float | None = None, metadata: Metadata | None = None
    ) -> GetModelMetadataResponse:
        """PredictionService.GetModelMetadata for a GetModelMetadataRequest, or for a model name
        (asking for its "signature_def" metadata); `signature_def_map` reads the answer."""
        if isinstance(request, str):
            name, request = request, GetModelMetadataRequest(metadata_field=["signature_def"])
            request.model_spec.name = name
        response: GetModelMetadataResponse = self._metadata(request, timeout=timeout, metadata=metadata)
        return response

    def close(self) -> None:
        """Close the channel."""
        self.channel.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def signature_def_map(response: GetModelMetadataResponse) -> SignatureDefMap:
    """The SignatureDefMap in a GetModelMetadataResponse's "signature_def" entry."""
    entry = response.metadata.get("signature_def")
    if entry is None:
        raise ValueError("GetModelMetadataResponse has no 'signature_def' metadata")
    if entry.type_url.rsplit("/", 1)[-1] not in ("tensorflow.serving.SignatureDefMap", "sigdef.tensorflow.serving.SignatureDefMap"):
        raise ValueError(f"'signature_def' metadata holds {entry.type_url}, not a SignatureDefMap")
    return SignatureDefMap.FromString(entry.value)

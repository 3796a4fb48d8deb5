namespace TaskOrchestrator.Server.Http.Metrics;

/// <summary>The OTLP protocol names <c>Metrics:Otlp:Protocol</c> accepts (the OTEL_EXPORTER_OTLP_PROTOCOL spellings).</summary>
internal static class OtlpProtocols
{
    public const string HttpProtobuf = "http/protobuf";

    public const string Grpc = "grpc";

    public static IReadOnlyList<string> All { get; } = [HttpProtobuf, Grpc];
}

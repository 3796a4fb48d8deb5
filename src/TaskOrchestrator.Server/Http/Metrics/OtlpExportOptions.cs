namespace TaskOrchestrator.Server.Http.Metrics;

/// <summary>OTLP export of the orchestrator's meter (section <c>Metrics:Otlp</c>).</summary>
internal sealed class OtlpExportOptions
{
    /// <summary>The collector's URL, such as http://127.0.0.1:4318/v1/metrics (http/protobuf) or http://127.0.0.1:4317 (grpc). Unset: no export.</summary>
    public string? Endpoint { get; set; }

    /// <summary><c>http/protobuf</c> (default) or <c>grpc</c>.</summary>
    public string Protocol { get; set; } = OtlpProtocols.HttpProtobuf;

    /// <summary>How often the figures are pushed.</summary>
    public TimeSpan ExportInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one push may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

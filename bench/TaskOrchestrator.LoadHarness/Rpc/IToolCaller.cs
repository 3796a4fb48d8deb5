namespace TaskOrchestrator.LoadHarness.Rpc;

/// <summary>Something that calls a server's tools and returns the answer's JSON-RPC line.</summary>
internal interface IToolCaller
{
    Task<string> CallToolAsync(string tool, string argumentsJson, CancellationToken cancellationToken);
}

using System.Text.Json.Nodes;

namespace TaskOrchestrator.Server.Tests;

/// <summary>A task an agent claimed with orchestrator_claim_next_task, read from the claim's structured content.</summary>
internal sealed record ClaimedTask(string Id, string LeaseToken)
{
    public static ClaimedTask From(JsonNode claimContent) => new(
        claimContent["execution"]!["task"]!["task_id"]!.GetValue<string>(),
        claimContent["execution"]!["lease"]!["lease_token"]!.GetValue<string>());

    /// <summary>Completes the task as <paramref name="agent"/> with its lease token; true when the server accepted it.</summary>
    public async Task<(bool Completed, JsonObject Answer)> CompleteAsync(ServerProcess server, string agent, CancellationToken cancellationToken)
    {
        var answer = await server.CallToolAsync("orchestrator_complete_task", new JsonObject
        {
            ["task_id"] = Id,
            ["agent_id"] = agent,
            ["summary"] = $"done by {agent}",
            ["lease_token"] = LeaseToken,
        }, cancellationToken);
        return (answer["isError"]?.GetValue<bool>() != true, answer);
    }
}

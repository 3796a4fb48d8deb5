using System.Text.Json.Nodes;
using Shouldly;

namespace TaskOrchestrator.Server.Tests.Supervision;

/// <summary>What the supervisor tests ask a supervised server: its worker, its restarts, its tools' results.</summary>
internal static class SupervisedServer
{
    public const int SigKill = 9;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>The structured content of a tool result that must not be an error.</summary>
    public static JsonObject Ok(JsonObject result)
    {
        result["isError"]?.GetValue<bool>().ShouldNotBe(true, result.ToJsonString());
        return result["structuredContent"].ShouldBeOfType<JsonObject>();
    }

    /// <summary>The error code of a tool result that must be an error.</summary>
    public static JsonObject Error(JsonObject result)
    {
        result["isError"]?.GetValue<bool>().ShouldBe(true, result.ToJsonString());
        return result["structuredContent"]!["error"].ShouldBeOfType<JsonObject>();
    }

    public static string Str(this JsonNode? node, string name) => node![name]!.GetValue<string>();

    /// <summary>The process id of the worker serving now, as its own health check reports it.</summary>
    public static async Task<int> WorkerPidAsync(ServerProcess server)
    {
        var health = Ok(await server.CallToolAsync("orchestrator_health_check", new JsonObject(), Token));
        health["server"]!["supervised"]!.GetValue<bool>().ShouldBeTrue();
        return health["server"]!["process_id"]!.GetValue<int>();
    }

    /// <summary>Every restart and crash recovery in the history, oldest first.</summary>
    public static async Task<IReadOnlyList<JsonObject>> HistoryAsync(ServerProcess server)
    {
        var status = Ok(await server.CallToolAsync("orchestrator_restart_status", new JsonObject { ["include_history"] = true, ["include_error_details"] = true }, Token));
        return [.. status["history"]!.AsArray().Select(entry => entry!.AsObject()).Reverse()];
    }

    /// <summary>Waits until the supervisor reports <paramref name="state"/>.</summary>
    public static async Task<JsonObject> WaitForStateAsync(ServerProcess server, string state, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = Ok(await server.CallToolAsync("orchestrator_restart_status", new JsonObject(), Token));
            if (status["supervisor"]?.Str("state") == state || DateTime.UtcNow > deadline)
            {
                status["supervisor"]!.Str("state").ShouldBe(state);
                return status;
            }

            await Task.Delay(50, Token);
        }
    }
}

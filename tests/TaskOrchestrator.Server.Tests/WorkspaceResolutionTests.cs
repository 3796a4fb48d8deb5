using System.Text.Json.Nodes;
using Shouldly;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Server.Tests;

/// <summary>
/// The workspace of a call, in order: the call's working_directory, the connection's current session,
/// --workspace, TASK_ORCHESTRATOR_WORKSPACE, the client's first root, the git root of the current
/// directory, the current directory.
/// </summary>
public sealed class WorkspaceResolutionTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WorkingDirectoryArgument_BeatsEverythingAndBindsTheConnection()
    {
        using var option = new TemporaryDirectory();
        using var chosen = new TemporaryDirectory();
        await using var server = await StartAsync(option.Path, null, null, "--workspace", option.Path);

        var session = await server.CallToolAsync("orchestrator_initialize_session", new JsonObject { ["working_directory"] = chosen.Path }, Token);
        var status = await server.CallToolAsync("orchestrator_get_status", new JsonObject(), Token);

        Workspace(session).ShouldBe((chosen.Path, "working_directory"));
        Workspace(status).ShouldBe((chosen.Path, "session"));
        File.Exists(Path.Combine(chosen.Path, ".task-orchestrator", "orchestrator.db")).ShouldBeTrue();
        File.Exists(Path.Combine(option.Path, ".task-orchestrator", "orchestrator.db")).ShouldBeFalse();
    }

    [Fact]
    public async Task WorkspaceOption_BeatsEnvironmentVariableAndRoots()
    {
        using var option = new TemporaryDirectory();
        using var environment = new TemporaryDirectory();
        using var root = new TemporaryDirectory();
        await using var server = await StartAsync(option.Path, new Dictionary<string, string> { ["TASK_ORCHESTRATOR_WORKSPACE"] = environment.Path }, root.Path, "--workspace", option.Path);

        var status = await server.CallToolAsync("orchestrator_get_status", new JsonObject(), Token);

        Workspace(status).ShouldBe((option.Path, "--workspace"));
    }

    [Fact]
    public async Task EnvironmentVariable_BeatsRoots()
    {
        using var environment = new TemporaryDirectory();
        using var root = new TemporaryDirectory();
        await using var server = await StartAsync(environment.Path, new Dictionary<string, string> { ["TASK_ORCHESTRATOR_WORKSPACE"] = environment.Path }, root.Path);

        var status = await server.CallToolAsync("orchestrator_get_status", new JsonObject(), Token);

        Workspace(status).ShouldBe((environment.Path, "TASK_ORCHESTRATOR_WORKSPACE"));
    }

    [Fact]
    public async Task ClientRoot_BeatsGitRootOfCurrentDirectory()
    {
        using var repository = new TemporaryDirectory();
        Directory.CreateDirectory(Path.Combine(repository.Path, ".git"));
        using var root = new TemporaryDirectory();
        await using var server = await StartAsync(repository.Path, null, root.Path);

        var status = await server.CallToolAsync("orchestrator_get_status", new JsonObject(), Token);

        Workspace(status).ShouldBe((root.Path, "mcp_root"));
    }

    [Fact]
    public async Task GitRoot_IsFoundFromASubfolderOfTheRepository()
    {
        using var repository = new TemporaryDirectory();
        Directory.CreateDirectory(Path.Combine(repository.Path, ".git"));
        var nested = Directory.CreateDirectory(Path.Combine(repository.Path, "src", "deep")).FullName;
        await using var server = await StartAsync(nested, null, null);

        var status = await server.CallToolAsync("orchestrator_get_status", new JsonObject(), Token);

        Workspace(status).ShouldBe((repository.Path, "git_root"));
    }

    [Fact]
    public async Task CurrentDirectory_IsTheLastResort()
    {
        using var plain = new TemporaryDirectory();
        await using var server = await StartAsync(plain.Path, null, null);

        var status = await server.CallToolAsync("orchestrator_get_status", new JsonObject(), Token);

        Workspace(status).ShouldBe((plain.Path, "current_directory"));
    }

    [Fact]
    public async Task WorkingDirectoryArgument_MissingFolder_IsRefusedAndNothingIsCreated()
    {
        using var plain = new TemporaryDirectory();
        var missing = Path.Combine(plain.Path, "does-not-exist");
        await using var server = await StartAsync(plain.Path, null, null);

        var result = await server.CallToolAsync("orchestrator_initialize_session", new JsonObject { ["working_directory"] = missing }, Token);

        result["isError"]!.GetValue<bool>().ShouldBeTrue();
        result["structuredContent"]!["error"]!["code"]!.GetValue<string>().ShouldBe("invalid_argument");
        result["structuredContent"]!["error"]!["field"]!.GetValue<string>().ShouldBe("working_directory");
        Directory.Exists(missing).ShouldBeFalse();
        Directory.Exists(Path.Combine(plain.Path, ".task-orchestrator", "orchestrator.db")).ShouldBeFalse();
    }

    private static (string Root, string Source) Workspace(JsonObject result)
    {
        var workspace = result["structuredContent"]!["workspace"]!;
        return (workspace["root"]!.GetValue<string>(), workspace["resolved_from"]!.GetValue<string>());
    }

    /// <summary>Starts a server in <paramref name="currentDirectory"/>; with <paramref name="clientRoot"/>, the client announces roots and answers roots/list.</summary>
    private static async Task<ServerProcess> StartAsync(string currentDirectory, IReadOnlyDictionary<string, string>? environment, string? clientRoot, params string[] arguments)
    {
        var server = ServerProcess.Start(currentDirectory, environment, [.. arguments, "--log-level", "warning"]);
        if (clientRoot is not null)
        {
            server.ClientRequestHandler = (method, _) => method == "roots/list"
                ? new JsonObject { ["roots"] = new JsonArray(new JsonObject { ["uri"] = new Uri(clientRoot).AbsoluteUri, ["name"] = "project" }) }
                : null;
        }

        var capabilities = clientRoot is null ? new JsonObject() : new JsonObject { ["roots"] = new JsonObject { ["listChanged"] = false } };
        await server.RequestAsync("initialize", new JsonObject
        {
            ["protocolVersion"] = "2025-06-18",
            ["capabilities"] = capabilities,
            ["clientInfo"] = new JsonObject { ["name"] = "resolution-tests", ["version"] = "1" },
        }, Token);
        await server.NotifyAsync("notifications/initialized", new JsonObject(), Token);
        return server;
    }
}

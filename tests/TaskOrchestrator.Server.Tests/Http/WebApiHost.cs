using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Roles;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Completion;
using TaskOrchestrator.Core.Tasks.Editing;
using TaskOrchestrator.Core.Tasks.Execution;
using TaskOrchestrator.Core.Tasks.Planning;
using TaskOrchestrator.Mcp;
using TaskOrchestrator.Mcp.Agents;
using TaskOrchestrator.Mcp.Workspaces;
using TaskOrchestrator.Server.Http.Api;
using TaskOrchestrator.Server.Http.Dashboard;
using TaskOrchestrator.Storage.Sqlite;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Server.Tests.Http;

/// <summary>
/// A real Kestrel host on a free loopback port serving the REST API, the event stream and the dashboard
/// through the extension methods the HTTP host calls, over the orchestrator's real services and a real
/// SQLite workspace in a temporary folder. Tasks are made and changed through the core services, as a
/// tool call would.
/// </summary>
internal sealed class WebApiHost : IAsyncDisposable
{
    private static readonly Actor TestActor = new("web-tests", null, "web-tests");
    private readonly WebApplication _app;
    private readonly TemporaryDirectory _folder;

    private WebApiHost(WebApplication app, TemporaryDirectory folder, Uri address)
    {
        _app = app;
        _folder = folder;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    /// <summary>The server's base address, such as http://127.0.0.1:41234/.</summary>
    public Uri Address { get; }

    /// <summary>A client for the server.</summary>
    public HttpClient Client { get; }

    /// <summary>The workspace folder the server reads by default.</summary>
    public string Workspace => _folder.Path;

    /// <summary>The server's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts a host; <paramref name="map"/> may add routes another part of the HTTP host would add, and
    /// <paramref name="settings"/> overrides configuration keys.
    /// </summary>
    public static async Task<WebApiHost> StartAsync(CancellationToken cancellationToken, Action<WebApplication>? map = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var folder = new TemporaryDirectory("to-http");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{OrchestratorOptions.Section}:{nameof(OrchestratorOptions.Workspace)}"] = folder.Path,
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");

        var services = builder.Services;
        services.AddOptions<OrchestratorOptions>().BindConfiguration(OrchestratorOptions.Section).ValidateOnStart();
        services.AddOptions<SqliteStoreOptions>().BindConfiguration("Storage:Sqlite").ValidateOnStart();
        services.AddOptions<AgentOptions>().BindConfiguration(AgentOptions.Section).ValidateOnStart();
        services.AddSingleton<StoreChangeSignal>();
        services.AddSingleton(sp => new SqliteStoreProvider(sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<StoreChangeSignal>()));
        services.AddSingleton<IStoreProvider>(sp => sp.GetRequiredService<SqliteStoreProvider>());
        services.AddOrchestratorServices();
        services.AddOrchestratorWebApi();

        var app = builder.Build();
        app.MapOrchestratorWebApi();
        app.MapOrchestratorDashboard();
        map?.Invoke(app);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            folder.Dispose();
            throw;
        }

        return new WebApiHost(app, folder, new Uri(app.Urls.Single().TrimEnd('/') + "/"));
    }

    /// <summary>The default workspace's store.</summary>
    public async Task<IOrchestratorStore> StoreAsync() =>
        (await _app.Services.GetRequiredService<WorkspaceRegistry>().OpenAsync(Workspace, TestContext.Current.CancellationToken)).Store;

    /// <summary>Plans a task tree as orchestrator_plan_task does.</summary>
    public async Task<PlanOutcome> PlanAsync(TaskSpec root, string? parentTaskId = null, string? sessionId = null)
    {
        var store = await StoreAsync();
        var planner = _app.Services.GetRequiredService<TaskPlanner>();
        await using var unit = await store.BeginWriteAsync(TestContext.Current.CancellationToken);
        var outcome = await planner.PlanAsync(unit, store.Workspace.Id, new PlanRequest(root, parentTaskId, sessionId), RoleCatalog.BuiltIn, TestActor, TestContext.Current.CancellationToken);
        await unit.CommitAsync(TestContext.Current.CancellationToken);
        return outcome;
    }

    /// <summary>Starts a task as orchestrator_execute_task does.</summary>
    public async Task StartTaskAsync(string taskId)
    {
        var store = await StoreAsync();
        await _app.Services.GetRequiredService<TaskExecutor>().ExecuteAsync(store, taskId, null, RoleCatalog.BuiltIn, TestActor, TestContext.Current.CancellationToken);
    }

    /// <summary>Completes a started task with its detailed work, which is stored as an artifact.</summary>
    public async Task CompleteTaskAsync(string taskId, string summary, string detailedWork)
    {
        var store = await StoreAsync();
        await using var unit = await store.BeginWriteAsync(TestContext.Current.CancellationToken);
        await _app.Services.GetRequiredService<TaskCompleter>().CompleteAsync(unit, new CompletionRequest { TaskId = taskId, Summary = summary, DetailedWork = detailedWork }, TestActor, TestContext.Current.CancellationToken);
        await unit.CommitAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Changes a task's status as orchestrator_update_task does.</summary>
    public async Task SetStatusAsync(string taskId, TaskItemStatus status, string reason)
    {
        var store = await StoreAsync();
        await using var unit = await store.BeginWriteAsync(TestContext.Current.CancellationToken);
        await _app.Services.GetRequiredService<TaskEditor>().UpdateAsync(unit, new TaskUpdate { TaskId = taskId, Status = status, StatusReason = reason }, RoleCatalog.BuiltIn, TestActor, TestContext.Current.CancellationToken);
        await unit.CommitAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _folder.Dispose();
    }
}

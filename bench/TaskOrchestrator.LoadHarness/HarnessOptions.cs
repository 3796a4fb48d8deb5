using System.Globalization;

namespace TaskOrchestrator.LoadHarness;

/// <summary>Command-line options of the load harness.</summary>
internal sealed record HarnessOptions
{
    public const string Usage = """
        task-orchestrator-load-harness [options]

          --out FILE          write the figures as JSON to FILE
          --samples DIR       also write every latency sample, in measurement order, as one CSV file per figure
          --server-dir DIR    folder of the built server (default: src/TaskOrchestrator.Server/bin/Release/net10.0)
          --temp DIR          parent of the harness's temp folder (default: the system temp folder)
          --phases LIST       comma-separated: plan,query,spawn,supervisor,claims,http,instances (default: all)
          --plan-calls N      measured orchestrator_plan_task calls, interleaved with N raw commits (default 2000)
          --query-calls N     measured orchestrator_query_tasks calls per workspace size (default 1000)
          --small-tasks N     tasks in the small workspace (default 1000)
          --large-tasks N     tasks in the large workspace (default 100000)
          --spawns N          measured spawns per launcher (default 20)
          --hop-calls N       supervisor phase: measured calls per tool on each server, supervised and not (default 1000)
          --restarts N        supervisor phase: measured restarts, without and with calls sent into them (default 10 each)
          --claim-tasks N     claims phase: ready tasks the agents drain (default 20000)
          --claim-agents N    claims phase: agents claiming at once (default 32)
          --claim-servers L   claims phase: server processes sharing the workspace, one run per count (default 1,3)
          --claim-warmup N    claims and instances phases: ready tasks the same agents drain on the same servers
                              before the measured race, so that it measures code the runtime has finished
                              compiling (default 10000; 0 for none; the warm-up race is reported as cold)
          --instance-tasks N  instances phase: ready tasks the agents drain on each backend (default 20000)
          --instance-agents N instances phase: agents claiming at once (default 64)
          --instance-servers N instances phase: server instances sharing the store (default 3)
          --instance-backends L instances phase: backends, comma-separated: sqlite,postgres (default both; postgres
                              starts a throwaway cluster with initdb/pg_ctl, or is reported skipped without them)
          --postgres CONN     instances phase: use this existing PostgreSQL database instead of a throwaway cluster
                              (each run uses a new workspace in it)
          --http-clients N    http phase: concurrent HTTP clients, each its own MCP session (default 64)
          --http-seconds N    http phase: how long the concurrent clients read (default 10)
          --event-samples N   http phase: changes timed until their /api/events frame (default 200)
                              (the http phase also uses --query-calls for its round trips and --small-tasks for its workspace)
          --keep              keep the temp folder (workspaces, raw-commit database) for inspection
          --spawn-launchers L launchers the spawn phase compares, comma-separated: dotnet,apphost (default both;
                              a self-contained publish has only the apphost)
          --launcher NAME     dotnet or apphost: how the server is started for the plan and query phases (default dotnet)
        """;

    public string? OutFile { get; init; }

    public string? ServerDirectory { get; init; }

    public string? SamplesDirectory { get; init; }

    public string TempParent { get; init; } = Path.GetTempPath();

    public IReadOnlySet<string> Phases { get; init; } = new HashSet<string>(["plan", "query", "spawn", "supervisor", "claims", "http", "instances"], StringComparer.Ordinal);

    public int ClaimTasks { get; init; } = 20_000;

    public int ClaimAgents { get; init; } = 32;

    public IReadOnlyList<int> ClaimServers { get; init; } = [1, 3];

    public int ClaimWarmUpTasks { get; init; } = 10_000;

    public int InstanceTasks { get; init; } = 20_000;

    public int InstanceAgents { get; init; } = 64;

    public int InstanceServers { get; init; } = 3;

    public IReadOnlyList<string> InstanceBackends { get; init; } = ["sqlite", "postgres"];

    public string? PostgresConnectionString { get; init; }

    public int HttpClients { get; init; } = 64;

    public TimeSpan HttpDuration { get; init; } = TimeSpan.FromSeconds(10);

    public int EventSamples { get; init; } = 200;

    public int PlanCalls { get; init; } = 2_000;

    public int QueryCalls { get; init; } = 1_000;

    public int SmallTasks { get; init; } = 1_000;

    public int LargeTasks { get; init; } = 100_000;

    public int Spawns { get; init; } = 20;

    public int HopCalls { get; init; } = 1_000;

    public int Restarts { get; init; } = 10;

    public string Launcher { get; init; } = "dotnet";

    public bool Keep { get; init; }

    public IReadOnlyList<string> SpawnLaunchers { get; init; } = ["dotnet", "apphost"];

    public static HarnessOptions Parse(string[] args)
    {
        var options = new HarnessOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Count() => int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--out" => options with { OutFile = Path.GetFullPath(Value()) },
                "--samples" => options with { SamplesDirectory = Path.GetFullPath(Value()) },
                "--server-dir" => options with { ServerDirectory = Path.GetFullPath(Value()) },
                "--temp" => options with { TempParent = Path.GetFullPath(Value()) },
                "--phases" => options with { Phases = new HashSet<string>(Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal) },
                "--keep" => options with { Keep = true },
                "--spawn-launchers" => options with { SpawnLaunchers = [.. Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(LauncherName)] },
                "--plan-calls" => options with { PlanCalls = Count() },
                "--query-calls" => options with { QueryCalls = Count() },
                "--small-tasks" => options with { SmallTasks = Count() },
                "--large-tasks" => options with { LargeTasks = Count() },
                "--spawns" => options with { Spawns = Count() },
                "--hop-calls" => options with { HopCalls = Count() },
                "--restarts" => options with { Restarts = Count() },
                "--claim-tasks" => options with { ClaimTasks = Count() },
                "--claim-agents" => options with { ClaimAgents = Count() },
                "--claim-servers" => options with { ClaimServers = [.. Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => int.Parse(n, NumberStyles.None, CultureInfo.InvariantCulture))] },
                "--claim-warmup" => options with { ClaimWarmUpTasks = Count() },
                "--instance-tasks" => options with { InstanceTasks = Count() },
                "--instance-agents" => options with { InstanceAgents = Count() },
                "--instance-servers" => options with { InstanceServers = Count() },
                "--instance-backends" => options with { InstanceBackends = [.. Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(BackendName)] },
                "--postgres" => options with { PostgresConnectionString = Value() },
                "--http-clients" => options with { HttpClients = Count() },
                "--http-seconds" => options with { HttpDuration = TimeSpan.FromSeconds(double.Parse(Value(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture)) },
                "--event-samples" => options with { EventSamples = Count() },
                "--launcher" => options with { Launcher = LauncherName(Value()) },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }

        var unknown = options.Phases.Except(["plan", "query", "spawn", "supervisor", "claims", "http", "instances"]).ToArray();
        return unknown.Length == 0 ? options : throw new ArgumentException($"Unknown phase(s): {string.Join(", ", unknown)}.");
    }

    private static string BackendName(string value) =>
        value is "sqlite" or "postgres" ? value : throw new ArgumentException($"--instance-backends lists sqlite and/or postgres, not '{value}'.");

    private static string LauncherName(string value) =>
        value is "dotnet" or "apphost" ? value : throw new ArgumentException($"--launcher is dotnet or apphost, not '{value}'.");

    /// <summary>The server folder: the option, or the Release build output of the repository this harness was built from.</summary>
    public string ResolveServerDirectory()
    {
        var directory = ServerDirectory;
        if (directory is null)
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "TaskOrchestrator.slnx")))
                {
                    directory = Path.Combine(d.FullName, "src", "TaskOrchestrator.Server", "bin", "Release", "net10.0");
                    break;
                }
            }
        }

        if (directory is null || !File.Exists(Path.Combine(directory, "task-orchestrator.dll")))
        {
            throw new ArgumentException(
                $"No built server at '{directory ?? "(repository not found)"}'. Build it first: dotnet build src/TaskOrchestrator.Server -c Release, or pass --server-dir.");
        }

        return directory;
    }
}

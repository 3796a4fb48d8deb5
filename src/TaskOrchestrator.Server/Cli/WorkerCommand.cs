using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Claims;
using TaskOrchestrator.Server.Headless;

namespace TaskOrchestrator.Server.Cli;

/// <summary>
/// <c>task-orchestrator worker --specialist T [--specialist T2 ...] [--task-type X ...] --exec "command"
/// [--concurrency N] [--lease-seconds S] [--agent-id ID] [--poll-interval D] [--grace-period D]
/// [--max-output N] [--exit-when-idle]</c>: a headless worker that claims tasks of its roles and runs
/// a shell command for each. Its stdout is not a protocol: logs go to stderr, as everywhere.
/// </summary>
internal static class WorkerCommand
{
    public const int DefaultLeaseSeconds = 60;
    public const int MaxConcurrency = 64;

    /// <summary>The most characters --max-output may keep per stream: both streams fit the 1 MiB artifact limit.</summary>
    public const int MaxOutputLimit = 500_000;

    public static Command Create(Option<string?> workspace, Option<string?> config, Option<string> logLevel)
    {
        var specialists = new Option<string[]>("--specialist")
        {
            Description = "A specialist role whose tasks this worker takes (repeat for several); see the roster in docs/reference.md or the workspace's roles.json.",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var taskTypes = new Option<string[]>("--task-type")
        {
            Description = "Take only tasks of this type (repeat for several); default: any type.",
            Arity = ArgumentArity.OneOrMore,
        };
        taskTypes.AcceptOnlyFromAmong([.. WireNames.All<TaskType>()]);
        var exec = new Option<string>("--exec")
        {
            Description = "The command run for each task through /bin/sh -c, in the workspace folder, with the task as JSON on stdin and TASK_ORCHESTRATOR_* variables set. Exit code 0 completes the task with stdout and stderr as its artifact; any other fails it.",
            Required = true,
        };
        exec.Validators.Add(result =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>()))
            {
                result.AddError("--exec is empty; give the shell command to run for each task, e.g. --exec './run-task.sh'.");
            }
        });
        var concurrency = new Option<int>("--concurrency")
        {
            Description = $"How many tasks run at once, 1 to {MaxConcurrency} (default 1).",
            DefaultValueFactory = _ => 1,
        };
        concurrency.Validators.Add(result => Range(result, result.GetValueOrDefault<int>(), 1, MaxConcurrency, "--concurrency", "tasks"));
        var leaseSeconds = new Option<int>("--lease-seconds")
        {
            Description = $"How long a claim holds without a heartbeat, {TaskClaims.MinLease.TotalSeconds:0} to {TaskClaims.MaxLease.TotalSeconds:0} seconds (default {DefaultLeaseSeconds}); the worker heartbeats at a third of it. A worker that dies leaves its tasks claimed for at most this long.",
            DefaultValueFactory = _ => DefaultLeaseSeconds,
        };
        leaseSeconds.Validators.Add(result => Range(result, result.GetValueOrDefault<int>(), (int)TaskClaims.MinLease.TotalSeconds, (int)TaskClaims.MaxLease.TotalSeconds, "--lease-seconds", "seconds"));
        var agentId = new Option<string?>("--agent-id")
        {
            Description = "The agent id the claims are recorded under (default: worker-<host>-<pid>).",
        };
        agentId.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } id && (id.Trim().Length == 0 || id.Length > Limits.IdentifierLength || id.Any(char.IsControl)))
            {
                result.AddError($"--agent-id '{id}' is not usable: give 1 to {Limits.IdentifierLength} printable characters, e.g. --agent-id docs-worker-1.");
            }
        });
        var pollInterval = DurationOption("--poll-interval", "The longest wait between two claim attempts while nothing is ready, e.g. 5s or 500ms (default 5s); the wait starts at 200 ms and doubles.", TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        var gracePeriod = DurationOption("--grace-period", "On SIGTERM or SIGINT, how long running commands may still finish before they are killed and their tasks released, e.g. 10s (default 10s).", TimeSpan.FromSeconds(10), TimeSpan.Zero, TimeSpan.FromHours(1));
        var maxOutput = new Option<int>("--max-output")
        {
            Description = $"The most characters of each of stdout and stderr stored in the artifact (default 262144, at most {MaxOutputLimit}); beyond it the first and last halves are kept with a note of what was cut.",
            DefaultValueFactory = _ => 262_144,
        };
        maxOutput.Validators.Add(result => Range(result, result.GetValueOrDefault<int>(), 1_024, MaxOutputLimit, "--max-output", "characters"));
        var exitWhenIdle = new Option<bool>("--exit-when-idle")
        {
            Description = "Stop (exit 0) once nothing runs here and no task of the workspace is pending or in progress.",
        };

        var command = new Command("worker", "Run a headless worker: claim ready tasks of the given specialist roles and run a shell command for each, with heartbeats, until SIGTERM or SIGINT (then running commands get --grace-period to finish before they are killed and their tasks released). Exit code 0 after a clean stop, 2 for usage errors.")
        {
            specialists,
            taskTypes,
            exec,
            concurrency,
            leaseSeconds,
            agentId,
            pollInterval,
            gracePeriod,
            maxOutput,
            exitWhenIdle,
        };
        command.SetAction((parse, cancellationToken) => HeadlessWorkerCommand.RunAsync(
            new HeadlessWorkerSettings(
                parse.GetValue(workspace),
                parse.GetValue(config),
                ServeCommand.ParseLevel(parse.GetValue(logLevel)),
                [.. (parse.GetValue(specialists) ?? []).Distinct(StringComparer.Ordinal)],
                [.. (parse.GetValue(taskTypes) ?? []).Select(t => WireNames.Parse<TaskType>(t, "--task-type")).Distinct()],
                parse.GetValue(exec)!,
                parse.GetValue(agentId) ?? HeadlessWorkerSettings.DefaultAgentId,
                parse.GetValue(concurrency),
                TimeSpan.FromSeconds(parse.GetValue(leaseSeconds)),
                parse.GetValue(pollInterval),
                parse.GetValue(gracePeriod),
                parse.GetValue(maxOutput),
                parse.GetValue(exitWhenIdle)),
            cancellationToken));
        return command;
    }

    private static void Range(OptionResult result, int value, int min, int max, string name, string unit)
    {
        if (value < min || value > max)
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} is {value}; allowed: {min} to {max} {unit}."));
        }
    }

    private static Option<TimeSpan> DurationOption(string name, string description, TimeSpan defaultValue, TimeSpan min, TimeSpan max) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (Durations.TryParse(text, out var duration) && duration >= min && duration <= max)
            {
                return duration;
            }

            result.AddError($"{name} '{text}' is not a duration from {Durations.Format(min)} to {Durations.Format(max)}: write a number with ms, s, m or h, such as 500ms, 10s or 2m.");
            return defaultValue;
        },
    };
}

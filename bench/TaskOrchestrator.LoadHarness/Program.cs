using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using TaskOrchestrator.LoadHarness;
using TaskOrchestrator.LoadHarness.Phases;
using TaskOrchestrator.LoadHarness.Reporting;

HarnessOptions options;
string serverDirectory;
try
{
    options = HarnessOptions.Parse(args);
    serverDirectory = options.ResolveServerDirectory();
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(HarnessOptions.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var startedAt = DateTimeOffset.UtcNow;
var loadAtStart = MachineDescription.LoadAverage();
var clock = Stopwatch.StartNew();
using var context = new HarnessContext(options, serverDirectory);
HarnessContext.Progress($"server {serverDirectory}; temp folder {context.Root}");

PlanPhaseResult? plan = null;
QueryPhaseResult? query = null;
SpawnPhaseResult? spawn = null;
SupervisorPhaseResult? supervisor = null;
ClaimPhaseResult? claims = null;
HttpPhaseResult? http = null;
InstancesPhaseResult? instances = null;
if (options.Phases.Contains("plan"))
{
    plan = await PlanPhase.RunAsync(context, cancel.Token);
}

if (options.Phases.Contains("query"))
{
    query = await QueryPhase.RunAsync(context, cancel.Token);
}

if (options.Phases.Contains("spawn"))
{
    spawn = await SpawnPhase.RunAsync(context, cancel.Token);
}

if (options.Phases.Contains("supervisor"))
{
    supervisor = await SupervisorPhase.RunAsync(context, cancel.Token);
}

if (options.Phases.Contains("claims"))
{
    claims = await ClaimPhase.RunAsync(context, cancel.Token);
}

if (options.Phases.Contains("http"))
{
    http = await HttpPhase.RunAsync(context, cancel.Token);
}

if (options.Phases.Contains("instances"))
{
    instances = await InstancesPhase.RunAsync(context, cancel.Token);
}

var run = new RunInfo(
    startedAt,
    Math.Round(clock.Elapsed.TotalSeconds, 1),
    MachineDescription.Cpu(),
    Environment.ProcessorCount,
    RuntimeInformation.OSDescription,
    RuntimeInformation.FrameworkDescription,
    MachineDescription.Disk(context.Root),
    serverDirectory,
    context.Launcher.Name,
    options.Phases.Contains("http")
        ? "stdio, newline-delimited JSON-RPC, and (http phase) Streamable HTTP POSTs with HttpClient, written and read by the harness itself (no MCP client SDK)"
        : "stdio, newline-delimited JSON-RPC written and read by the harness itself (no MCP client SDK)",
    loadAtStart,
    MachineDescription.LoadAverage());
var results = new HarnessResults(run, plan, query, spawn, supervisor, claims, http, instances, Targets.Evaluate(plan, query, spawn, supervisor, claims, http, instances));
TablePrinter.Print(results, Console.Out);

if (options.OutFile is not null)
{
    var json = JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });
    await File.WriteAllTextAsync(options.OutFile, json + "\n", cancel.Token);
    HarnessContext.Progress($"figures written to {options.OutFile}");
}

return 0;

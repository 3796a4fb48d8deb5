using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Maintenance;
using TaskOrchestrator.Mcp.Results;
using TaskOrchestrator.Mcp.Validation;
using TaskOrchestrator.Mcp.Views;
using TaskOrchestrator.Mcp.Workspaces;

namespace TaskOrchestrator.Mcp.Tools;

/// <summary>Keeping the workspace healthy: cleanup, validation, documentation and handover.</summary>
[McpServerToolType]
public sealed class MaintenanceTools
{
    private readonly ToolContextFactory _contexts;
    private readonly CleanupScanner _scanner;
    private readonly TimeProvider _time;
    private readonly OrchestratorOptions _options;

    /// <summary>Creates the tools.</summary>
    public MaintenanceTools(ToolContextFactory contexts, CleanupScanner scanner, TimeProvider time, IOptions<OrchestratorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _contexts = contexts;
        _scanner = scanner;
        _time = time;
        _options = options.Value;
    }

    /// <summary>orchestrator_maintenance_coordinator.</summary>
    [McpServerTool(Name = "orchestrator_maintenance_coordinator", Title = "Maintenance", UseStructuredContent = true, OutputSchemaType = typeof(MaintenanceResult), Destructive = true, OpenWorld = false)]
    [Description("Maintenance of the workspace's tasks. scan_cleanup finds tasks in progress with no change for stale_after and tasks left open under a cancelled or archived parent, and (unless dry_run) resets the former to pending and archives the latter. validate_structure checks database integrity, dangling references, dependency cycles and parent/child status consistency (deeper at higher validation_level) and suggests a fix for each finding. update_documentation writes a task status document and prepare_handover a handover document into the workspace (.task-orchestrator/docs/), returning path and content.")]
    public async Task<CallToolResult> MaintenanceCoordinator(
        McpServer server,
        [Description("scan_cleanup, validate_structure, update_documentation or prepare_handover.")] MaintenanceAction action,
        [Description("Which tasks: workspace (default), session (the given or current session) or subtree (target_task_id and its subtasks).")] MaintenanceScope scope = MaintenanceScope.Workspace,
        [Description("For validate_structure: basic, standard (default) or thorough (adds the full integrity check and re-hashes every artifact).")] ValidationLevel validation_level = ValidationLevel.Standard,
        [Description("Root of the subtree for scope='subtree'; giving it with the default scope implies 'subtree'."), MaxLength(128)] string? target_task_id = null,
        [Description("For scan_cleanup: how long an in-progress task may go unchanged before it counts as stale, e.g. '24h', '90m', '7d' or 'PT24H' (1 minute to 365 days). Defaults to the server setting (24h)."), MaxLength(40)] string? stale_after = null,
        [Description("Report what would be done without changing anything or writing files.")] bool dry_run = false,
        [Description("The session for scope='session'; defaults to the session current on this connection."), MaxLength(128)] string? session_id = null,
        CancellationToken cancellationToken = default)
    {
        var call = await _contexts.ForCallAsync(server, null, InputParsing.Identifier(session_id, "session_id"), cancellationToken);
        var targetTask = InputParsing.Identifier(target_task_id, "target_task_id");
        if (targetTask is not null && scope == MaintenanceScope.Session)
        {
            throw Core.Errors.Fail.Invalid("target_task_id", "target_task_id names a subtree, but scope is 'session'.", "Use scope='subtree' with target_task_id, or drop target_task_id.", ["subtree"]);
        }

        // Naming a task without a scope means its subtree.
        scope = targetTask is not null ? MaintenanceScope.Subtree : scope;
        var target = new MaintenanceTarget(scope, call.SessionId, targetTask);
        target.Validate();
        var store = call.Workspace.Store;
        string scopeName = WireNames.Of(scope);
        MaintenanceResult result;
        string text;
        switch (action)
        {
            case MaintenanceAction.ScanCleanup:
                var staleAfter = stale_after is null ? _options.DefaultStaleAfter : InputParsing.Duration(stale_after, "stale_after", TimeSpan.FromMinutes(1), TimeSpan.FromDays(365));
                var report = await _scanner.ScanAsync(store, target, staleAfter, dry_run, call.Actor(), cancellationToken);
                var cleanup = new CleanupView(
                    staleAfter.ToString("c", CultureInfo.InvariantCulture),
                    [.. report.Stale.Select(Item)],
                    [.. report.Orphans.Select(Item)],
                    report.Changed);
                result = new MaintenanceResult("scan_cleanup", scopeName, dry_run, cleanup, null, null, SessionViews.Workspace(call));
                text = $"scan_cleanup ({scopeName}): {Text.Count(report.Stale.Count, "stale in-progress task")}, {Text.Count(report.Orphans.Count, "orphan")}; {(dry_run ? "dry run, nothing changed" : $"{Text.Count(report.Changed, "task")} changed")}.";
                break;

            case MaintenanceAction.ValidateStructure:
                var validation = await StructureValidator.ValidateAsync(store, validation_level, target, cancellationToken);
                var view = new ValidationView(
                    WireNames.Of(validation.Level),
                    validation.Valid,
                    validation.ChecksRun,
                    [.. validation.Findings.Select(f => new FindingView(f.Check, f.Severity, f.Message, f.TaskIds, f.Fix))],
                    validation.TasksChecked,
                    validation.DependenciesChecked,
                    validation.ArtifactsVerified);
                result = new MaintenanceResult("validate_structure", scopeName, dry_run, null, view, null, SessionViews.Workspace(call));
                text = $"validate_structure ({view.Level}, {scopeName}): {(view.Valid ? "valid" : "INVALID")}; {Text.Count(view.Findings.Count, "finding")} over {Text.Count(view.TasksChecked, "task")} and {Text.Count(view.DependenciesChecked, "dependency", "dependencies")}.";
                break;

            default:
                var handover = action == MaintenanceAction.PrepareHandover;
                var now = _time.Now();
                var content = handover
                    ? await ProjectDocuments.HandoverAsync(store, target, now, cancellationToken)
                    : await ProjectDocuments.DocumentationAsync(store, target, now, cancellationToken);
                var relative = handover
                    ? string.Create(CultureInfo.InvariantCulture, $".task-orchestrator/docs/handover-{now:yyyyMMdd-HHmmss}.md")
                    : ".task-orchestrator/docs/task-status.md";
                var path = Path.Combine(call.Workspace.Root, relative.Replace('/', Path.DirectorySeparatorChar));
                if (!dry_run)
                {
                    WriteAtomically(path, content);
                }

                var document = new DocumentView(path, relative, !dry_run, Encoding.UTF8.GetByteCount(content), content);
                result = new MaintenanceResult(WireNames.Of(action), scopeName, dry_run, null, null, document, SessionViews.Workspace(call));
                text = $"{WireNames.Of(action)}: {(dry_run ? "would write" : "wrote")} {relative} ({document.Bytes} bytes).";
                break;
        }

        return ToolResults.Success(result, text);
    }

    private static CleanupItemView Item(CleanupItem item) =>
        new(ViewMapper.Ref(item.Task), item.Problem, item.Action, item.Task.AssignedAgent, item.Task.UpdatedAt);

    private static void WriteAtomically(string path, string content)
    {
        // Write beside, then rename over: a reader never sees a half-written document.
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        File.WriteAllText(temporary, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(temporary, path, overwrite: true);
    }
}

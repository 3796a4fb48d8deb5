using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Mcp.Tools;

/// <summary>A subtask spec in orchestrator_plan_task: a task and, nested, its own subtasks.</summary>
public sealed record SubtaskInput(
    [property: Description("Short title of what will be done."), MaxLength(200)] string Title,
    [property: Description("A key unique within this plan call, by which other subtasks list this one in their dependencies. Letters, digits, '.', '_' or '-'."), MaxLength(64)] string? Key = null,
    [property: Description("What to do and what done looks like."), MaxLength(20000)] string? Description = null,
    [property: Description("Kind of work (default standard).")] TaskType? TaskType = null,
    [property: Description("How hard it is (default moderate).")] TaskComplexity? Complexity = null,
    [property: Description("Specialist role (see the roster from orchestrator_initialize_session). Defaults from task_type: implementation->implementer, testing->tester, review/approval->reviewer, documentation->documenter, research->researcher, deployment->devops, breakdown/milestone->coordinator, else generic."), MaxLength(40)] string? SpecialistType = null,
    [property: Description("How urgent it is (default medium).")] TaskPriority? Priority = null,
    [property: Description("Free-text effort estimate such as '2h'."), MaxLength(64)] string? EstimatedEffort = null,
    [property: Description("Due date, ISO 8601: 2026-12-01 or 2026-12-01T17:00:00Z."), MaxLength(40)] string? DueDate = null,
    [property: Description("A JSON object of context for the specialist doing it.")] JsonElement? Context = null,
    [property: Description("What it waits for: keys of other subtasks in this plan, or ids of existing tasks."), MaxLength(100)] IReadOnlyList<string>? Dependencies = null,
    [property: Description("Its own subtasks, same shape, nested to any depth up to 12 levels per call."), MaxLength(500)] IReadOnlyList<SubtaskInput>? Subtasks = null);

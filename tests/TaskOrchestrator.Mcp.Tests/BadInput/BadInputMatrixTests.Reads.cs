using TaskOrchestrator.Mcp.Tests.Harness;

namespace TaskOrchestrator.Mcp.Tests.BadInput;

public sealed partial class BadInputMatrixTests
{
    public static TheoryDataRow<string, string, string, string, string?>[] QueryRows =>
    [
        Row("status a string", "query_tasks", """{"status":"pending"}""", "invalid_argument", "status"),
        Row("status outside enum", "query_tasks", """{"status":["pending","done"]}""", "invalid_argument", "status[1]"),
        Row("status an object", "query_tasks", """{"status":{"in":["pending"]}}""", "invalid_argument", "status"),
        Row("eight statuses", "query_tasks", """{"status":["pending","pending","pending","pending","pending","pending","pending","pending"]}""", "too_large", "status"),
        Row("task_type outside enum", "query_tasks", """{"task_type":["bug"]}""", "invalid_argument", "task_type[0]"),
        Row("complexity outside enum", "query_tasks", """{"complexity":["hard"]}""", "invalid_argument", "complexity[0]"),
        Row("priority outside enum", "query_tasks", """{"priority":["urgent"]}""", "invalid_argument", "priority[0]"),
        Row("unknown specialist_type", "query_tasks", """{"specialist_type":["tester","wizard"]}""", "invalid_argument", "specialist_type[1]"),
        Row("null specialist_type", "query_tasks", """{"specialist_type":[null]}""", "invalid_argument", "specialist_type[0]"),
        Row("empty parent_task_id", "query_tasks", """{"parent_task_id":""}""", "missing_argument", "parent_task_id"),
        Row("parent_task_id too long", "query_tasks", """{"parent_task_id":"{x:129}"}""", "too_large", "parent_task_id"),
        Row("unknown parent_task_id", "query_tasks", """{"parent_task_id":"task_nope"}""", "not_found", "parent_task_id"),
        Row("empty session_id", "query_tasks", """{"session_id":""}""", "missing_argument", "session_id"),
        Row("unknown session_id", "query_tasks", """{"session_id":"ses_0000000000000000"}""", "not_found", "session_id"),
        Row("empty search_text", "query_tasks", """{"search_text":""}""", "missing_argument", "search_text"),
        Row("blank search_text", "query_tasks", """{"search_text":"   "}""", "missing_argument", "search_text"),
        Row("search_text without words", "query_tasks", """{"search_text":"!!! ???"}""", "invalid_argument", "search_text"),
        Row("search_text too long", "query_tasks", """{"search_text":"{x:501}"}""", "too_large", "search_text"),
        Row("created_after not a date", "query_tasks", """{"created_after":"yesterday"}""", "invalid_argument", "created_after"),
        Row("created_before 30 February", "query_tasks", """{"created_before":"2026-02-30"}""", "invalid_argument", "created_before"),
        Row("empty range", "query_tasks", """{"created_after":"2026-11-22","created_before":"2026-11-21"}""", "invalid_argument", "created_before"),
        Row("sort outside enum", "query_tasks", """{"sort":"newest"}""", "invalid_argument", "sort"),
        Row("limit zero", "query_tasks", """{"limit":0}""", "invalid_argument", "limit"),
        Row("limit above 500", "query_tasks", """{"limit":501}""", "invalid_argument", "limit"),
        Row("limit a string", "query_tasks", """{"limit":"5"}""", "invalid_argument", "limit"),
        Row("negative offset", "query_tasks", """{"offset":-1}""", "invalid_argument", "offset"),
        Row("ready_only a string", "query_tasks", """{"ready_only":"yes"}""", "invalid_argument", "ready_only"),
        Row("include_children a number", "query_tasks", """{"include_children":1}""", "invalid_argument", "include_children"),
        Row("unknown argument", "query_tasks", """{"filter":{"status":"pending"}}""", "unknown_argument", "filter"),
    ];

    public static TheoryDataRow<string, string, string, string, string?>[] ReportRows =>
    [
        Row("no arguments", "synthesize_results", """{}""", "missing_argument", "parent_task_id"),
        Row("empty parent_task_id", "synthesize_results", """{"parent_task_id":""}""", "missing_argument", "parent_task_id"),
        Row("parent_task_id too long", "synthesize_results", """{"parent_task_id":"{x:129}"}""", "too_large", "parent_task_id"),
        Row("parent_task_id an array", "synthesize_results", """{"parent_task_id":["{PARENT}"]}""", "invalid_argument", "parent_task_id"),
        Row("unknown parent_task_id", "synthesize_results", """{"parent_task_id":"task_nope"}""", "not_found", "parent_task_id"),
        Row("unknown argument", "synthesize_results", """{"task_id":"{PARENT}"}""", "unknown_argument", "task_id"),

        Row("include_completed a string", "get_status", """{"include_completed":"true"}""", "invalid_argument", "include_completed"),
        Row("empty session_id", "get_status", """{"session_id":""}""", "missing_argument", "session_id"),
        Row("session_id too long", "get_status", """{"session_id":"{x:129}"}""", "too_large", "session_id"),
        Row("unknown session_id", "get_status", """{"session_id":"ses_0000000000000000"}""", "not_found", "session_id"),
        Row("unknown argument", "get_status", """{"verbose":true}""", "unknown_argument", "verbose"),

        Row("no arguments", "maintenance_coordinator", """{}""", "missing_argument", "action"),
        Row("action outside enum", "maintenance_coordinator", """{"action":"purge"}""", "invalid_argument", "action"),
        Row("action a number", "maintenance_coordinator", """{"action":1}""", "invalid_argument", "action"),
        Row("scope outside enum", "maintenance_coordinator", """{"action":"scan_cleanup","scope":"galaxy"}""", "invalid_argument", "scope"),
        Row("validation_level outside enum", "maintenance_coordinator", """{"action":"validate_structure","validation_level":"deep"}""", "invalid_argument", "validation_level"),
        Row("subtree without target", "maintenance_coordinator", """{"action":"scan_cleanup","scope":"subtree"}""", "missing_argument", "target_task_id"),
        Row("subtree with unknown target", "maintenance_coordinator", """{"action":"scan_cleanup","scope":"subtree","target_task_id":"task_nope"}""", "not_found", "target_task_id"),
        Row("validate unknown subtree", "maintenance_coordinator", """{"action":"validate_structure","scope":"subtree","target_task_id":"task_nope"}""", "not_found", "target_task_id"),
        Row("document unknown subtree", "maintenance_coordinator", """{"action":"update_documentation","scope":"subtree","target_task_id":"task_nope"}""", "not_found", "target_task_id"),
        Row("handover of unknown subtree", "maintenance_coordinator", """{"action":"prepare_handover","scope":"subtree","target_task_id":"task_nope"}""", "not_found", "target_task_id"),
        Row("empty target_task_id", "maintenance_coordinator", """{"action":"scan_cleanup","scope":"subtree","target_task_id":""}""", "missing_argument", "target_task_id"),
        Row("target_task_id too long", "maintenance_coordinator", """{"action":"scan_cleanup","scope":"subtree","target_task_id":"{x:129}"}""", "too_large", "target_task_id"),
        Row("session scope with unknown session", "maintenance_coordinator", """{"action":"scan_cleanup","scope":"session","session_id":"ses_0000000000000000"}""", "not_found", "session_id"),
        Row("empty session_id", "maintenance_coordinator", """{"action":"scan_cleanup","scope":"session","session_id":""}""", "missing_argument", "session_id"),
        Row("stale_after without unit", "maintenance_coordinator", """{"action":"scan_cleanup","stale_after":"24"}""", "invalid_argument", "stale_after"),
        Row("stale_after words", "maintenance_coordinator", """{"action":"scan_cleanup","stale_after":"soon"}""", "invalid_argument", "stale_after"),
        Row("stale_after unknown unit", "maintenance_coordinator", """{"action":"scan_cleanup","stale_after":"5w"}""", "invalid_argument", "stale_after"),
        Row("stale_after negative", "maintenance_coordinator", """{"action":"scan_cleanup","stale_after":"-5h"}""", "invalid_argument", "stale_after"),
        Row("stale_after zero", "maintenance_coordinator", """{"action":"scan_cleanup","stale_after":"0m"}""", "invalid_argument", "stale_after"),
        Row("stale_after below a minute", "maintenance_coordinator", """{"action":"scan_cleanup","stale_after":"30s"}""", "invalid_argument", "stale_after"),
        Row("stale_after above 365 days", "maintenance_coordinator", """{"action":"scan_cleanup","stale_after":"366d"}""", "invalid_argument", "stale_after"),
        Row("stale_after bad ISO", "maintenance_coordinator", """{"action":"scan_cleanup","stale_after":"PT"}""", "invalid_argument", "stale_after"),
        Row("stale_after empty", "maintenance_coordinator", """{"action":"scan_cleanup","stale_after":""}""", "invalid_argument", "stale_after"),
        Row("stale_after NaN", "maintenance_coordinator", """{"action":"scan_cleanup","stale_after":"NaNh"}""", "invalid_argument", "stale_after"),
        Row("stale_after too long", "maintenance_coordinator", """{"action":"scan_cleanup","stale_after":"{x:41}"}""", "too_large", "stale_after"),
        Row("stale_after a number", "maintenance_coordinator", """{"action":"scan_cleanup","stale_after":24}""", "invalid_argument", "stale_after"),
        Row("dry_run a string", "maintenance_coordinator", """{"action":"scan_cleanup","dry_run":"no"}""", "invalid_argument", "dry_run"),
        Row("unknown argument", "maintenance_coordinator", """{"action":"scan_cleanup","force":true}""", "unknown_argument", "force"),

        Row("scope outside enum", "validate_dependencies", """{"scope":"galaxy"}""", "invalid_argument", "scope"),
        Row("scope a number", "validate_dependencies", """{"scope":2}""", "invalid_argument", "scope"),
        Row("subtree without target", "validate_dependencies", """{"scope":"subtree"}""", "missing_argument", "target_task_id"),
        Row("subtree with unknown target", "validate_dependencies", """{"scope":"subtree","target_task_id":"task_nope"}""", "not_found", "target_task_id"),
        Row("target alone, unknown", "validate_dependencies", """{"target_task_id":"task_nope"}""", "not_found", "target_task_id"),
        Row("target with session scope", "validate_dependencies", """{"scope":"session","target_task_id":"{PARENT}"}""", "invalid_argument", "target_task_id"),
        Row("empty target_task_id", "validate_dependencies", """{"target_task_id":""}""", "missing_argument", "target_task_id"),
        Row("target_task_id too long", "validate_dependencies", """{"target_task_id":"{x:129}"}""", "too_large", "target_task_id"),
        Row("session scope with unknown session", "validate_dependencies", """{"scope":"session","session_id":"ses_0000000000000000"}""", "not_found", "session_id"),
        Row("min_dependents one", "validate_dependencies", """{"min_dependents":1}""", "invalid_argument", "min_dependents"),
        Row("min_dependents a string", "validate_dependencies", """{"min_dependents":"5"}""", "invalid_argument", "min_dependents"),
        Row("min_dependents a fraction", "validate_dependencies", """{"min_dependents":2.5}""", "invalid_argument", "min_dependents"),
        Row("unknown argument", "validate_dependencies", """{"fix":true}""", "unknown_argument", "fix"),
    ];

    [Theory]
    [MemberData(nameof(QueryRows))]
    public Task QueryTasks_BadInput_ReturnsCodedErrorAndLeavesTheStoreUnchanged(string what, string tool, string arguments, string code, string? field)
    {
        _ = what;
        return AssertRefusedAsync(tool, arguments, code, field);
    }

    [Theory]
    [MemberData(nameof(ReportRows))]
    public Task ReportAndMaintenanceTools_BadInput_ReturnsCodedErrorAndLeavesTheStoreUnchanged(string what, string tool, string arguments, string code, string? field)
    {
        _ = what;
        return AssertRefusedAsync(tool, arguments, code, field);
    }
}

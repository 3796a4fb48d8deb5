using TaskOrchestrator.Mcp.Tests.Harness;

namespace TaskOrchestrator.Mcp.Tests.BadInput;

public sealed partial class BadInputMatrixTests
{
    public static TheoryDataRow<string, string, string, string, string?>[] PlanRows =>
    [
        Row("no arguments", "plan_task", """{}""", "missing_argument", "title"),
        Row("null title", "plan_task", """{"title":null}""", "missing_argument", "title"),
        Row("empty title", "plan_task", """{"title":""}""", "missing_argument", "title"),
        Row("blank title", "plan_task", """{"title":"   "}""", "missing_argument", "title"),
        Row("title too long", "plan_task", """{"title":"{x:201}"}""", "too_large", "title"),
        Row("title a number", "plan_task", """{"title":5}""", "invalid_argument", "title"),
        Row("description too long", "plan_task", """{"title":"t","description":"{x:20001}"}""", "too_large", "description"),
        Row("task_type outside enum", "plan_task", """{"title":"t","task_type":"bug"}""", "invalid_argument", "task_type"),
        Row("complexity outside enum", "plan_task", """{"title":"t","complexity":"hard"}""", "invalid_argument", "complexity"),
        Row("priority outside enum", "plan_task", """{"title":"t","priority":"urgent"}""", "invalid_argument", "priority"),
        Row("priority in another case", "plan_task", """{"title":"t","priority":"High"}""", "invalid_argument", "priority"),
        Row("unknown specialist_type", "plan_task", """{"title":"t","specialist_type":"wizard"}""", "invalid_argument", "specialist_type"),
        Row("specialist_type too long", "plan_task", """{"title":"t","specialist_type":"{x:41}"}""", "too_large", "specialist_type"),
        Row("estimated_effort too long", "plan_task", """{"title":"t","estimated_effort":"{x:65}"}""", "too_large", "estimated_effort"),
        Row("due_date not a date", "plan_task", """{"title":"t","due_date":"tomorrow"}""", "invalid_argument", "due_date"),
        Row("due_date month 13", "plan_task", """{"title":"t","due_date":"2026-13-01"}""", "invalid_argument", "due_date"),
        Row("context an array", "plan_task", """{"title":"t","context":[1,2]}""", "invalid_argument", "context"),
        Row("context a string", "plan_task", """{"title":"t","context":"goal"}""", "invalid_argument", "context"),
        Row("context too large", "plan_task", """{"title":"t","context":"{bigcontext}"}""", "too_large", "context"),
        Row("dependencies an object", "plan_task", """{"title":"t","dependencies":{}}""", "invalid_argument", "dependencies"),
        Row("dependency a number", "plan_task", """{"title":"t","dependencies":[5]}""", "invalid_argument", "dependencies[0]"),
        Row("null dependency", "plan_task", """{"title":"t","dependencies":[null]}""", "invalid_argument", "dependencies[0]"),
        Row("null subtask dependency", "plan_task", """{"title":"t","subtasks":[{"title":"a","dependencies":[null]}]}""", "invalid_argument", "subtasks[0].dependencies[0]"),
        Row("empty dependency", "plan_task", """{"title":"t","dependencies":[""]}""", "missing_argument", "dependencies[0]"),
        Row("unknown dependency", "plan_task", """{"title":"t","dependencies":["{P}","task_nope"]}""", "not_found", "dependencies[1]"),
        Row("101 dependencies", "plan_task", """{"title":"t","dependencies":"{strings:101}"}""", "too_large", "dependencies"),
        Row("unknown parent_task_id", "plan_task", """{"title":"t","parent_task_id":"task_nope"}""", "not_found", "parent_task_id"),
        Row("empty parent_task_id", "plan_task", """{"title":"t","parent_task_id":""}""", "missing_argument", "parent_task_id"),
        Row("parent completed", "plan_task", """{"title":"t","parent_task_id":"{DONE}"}""", "illegal_transition", "parent_task_id"),
        Row("parent archived", "plan_task", """{"title":"t","parent_task_id":"{ARCH}"}""", "illegal_transition", "parent_task_id"),
        Row("unknown session_id", "plan_task", """{"title":"t","session_id":"ses_0000000000000000"}""", "not_found", "session_id"),
        Row("archived session", "plan_task", """{"title":"t","session_id":"{SA}"}""", "illegal_transition", "session_id"),
        Row("empty idempotency_key", "plan_task", """{"title":"t","idempotency_key":""}""", "missing_argument", "idempotency_key"),
        Row("idempotency_key too long", "plan_task", """{"title":"t","idempotency_key":"{x:129}"}""", "too_large", "idempotency_key"),
        Row("idempotency_key of another tool", "plan_task", """{"title":"t","idempotency_key":"done-key"}""", "idempotency_key_reused", "idempotency_key"),
        Row("subtasks a string", "plan_task", """{"title":"t","subtasks":"a"}""", "invalid_argument", "subtasks"),
        Row("subtask null", "plan_task", """{"title":"t","subtasks":[null]}""", "invalid_argument", "subtasks[0]"),
        Row("subtask without title", "plan_task", """{"title":"t","subtasks":[{}]}""", "missing_argument", "subtasks[0].title"),
        Row("subtask empty title", "plan_task", """{"title":"t","subtasks":[{"title":""}]}""", "missing_argument", "subtasks[0].title"),
        Row("subtask title too long", "plan_task", """{"title":"t","subtasks":[{"title":"ok"},{"title":"{x:201}"}]}""", "too_large", "subtasks[1].title"),
        Row("subtask unknown field", "plan_task", """{"title":"t","subtasks":[{"title":"a","bogus":1}]}""", "unknown_argument", "subtasks[0].bogus"),
        Row("nested subtask unknown field", "plan_task", """{"title":"t","subtasks":[{"title":"a","subtasks":[{"title":"b","dependsOn":["x"]}]}]}""", "unknown_argument", "subtasks[0].subtasks[0].dependsOn"),
        Row("subtask task_type outside enum", "plan_task", """{"title":"t","subtasks":[{"title":"a","task_type":"bug"}]}""", "invalid_argument", "subtasks[0].task_type"),
        Row("subtask unknown role", "plan_task", """{"title":"t","subtasks":[{"title":"a","specialist_type":"wizard"}]}""", "invalid_argument", "subtasks[0].specialist_type"),
        Row("subtask due_date not a date", "plan_task", """{"title":"t","subtasks":[{"title":"a","due_date":"someday"}]}""", "invalid_argument", "subtasks[0].due_date"),
        Row("subtask context an array", "plan_task", """{"title":"t","subtasks":[{"title":"a","context":[]}]}""", "invalid_argument", "subtasks[0].context"),
        Row("subtask key with spaces", "plan_task", """{"title":"t","subtasks":[{"title":"a","key":"bad key"}]}""", "invalid_argument", "subtasks[0].key"),
        Row("duplicate keys", "plan_task", """{"title":"t","subtasks":[{"title":"a","key":"k"},{"title":"b","key":"k"}]}""", "invalid_argument", "subtasks[1].key"),
        Row("unknown dependency key", "plan_task", """{"title":"t","subtasks":[{"title":"a","dependencies":["nokey"]}]}""", "not_found", "subtasks[0].dependencies[0]"),
        Row("cycle between subtasks", "plan_task", """{"title":"t","subtasks":[{"title":"a","key":"a","dependencies":["b"]},{"title":"b","key":"b","dependencies":["a"]}]}""", "dependency_cycle", "subtasks[0].dependencies"),
        Row("three-step cycle", "plan_task", """{"title":"t","subtasks":[{"title":"a","key":"a","dependencies":["c"]},{"title":"b","key":"b","dependencies":["a"]},{"title":"c","key":"c","dependencies":["b"]}]}""", "dependency_cycle", "subtasks[0].dependencies"),
        Row("subtask depends on itself", "plan_task", """{"title":"t","subtasks":[{"title":"a","key":"a","dependencies":["a"]}]}""", "dependency_cycle", "subtasks[0].dependencies[0]"),
        Row("subtask depends on its parent", "plan_task", """{"title":"t","subtasks":[{"title":"a","key":"a","subtasks":[{"title":"b","dependencies":["a"]}]}]}""", "dependency_cycle", "subtasks[0].subtasks[0].dependencies"),
        Row("task depends on its new parent", "plan_task", """{"title":"t","parent_task_id":"{PARENT}","dependencies":["{PARENT}"]}""", "dependency_cycle", "dependencies"),
        Row("nested 13 levels", "plan_task", """{"title":"t","subtasks":"{nest:13}"}""", "too_large", Nested(13)),
        Row("501 subtasks in one array", "plan_task", """{"title":"t","subtasks":"{subtasks:501}"}""", "too_large", "subtasks"),
        Row("501 tasks in all", "plan_task", """{"title":"t","subtasks":"{subtasks:500}"}""", "too_large", "subtasks"),
        Row("unknown argument", "plan_task", """{"title":"t","parent_id":"{P}"}""", "unknown_argument", "parent_id"),
    ];

    public static TheoryDataRow<string, string, string, string, string?>[] UpdateRows =>
    [
        Row("no arguments", "update_task", """{}""", "missing_argument", "task_id"),
        Row("empty task_id", "update_task", """{"task_id":""}""", "missing_argument", "task_id"),
        Row("blank task_id", "update_task", """{"task_id":"  "}""", "missing_argument", "task_id"),
        Row("task_id too long", "update_task", """{"task_id":"{x:129}"}""", "too_large", "task_id"),
        Row("task_id a number", "update_task", """{"task_id":7}""", "invalid_argument", "task_id"),
        Row("unknown task_id", "update_task", """{"task_id":"task_nope","title":"x"}""", "not_found", "task_id"),
        Row("expected_version a string", "update_task", """{"task_id":"{P}","expected_version":"1"}""", "invalid_argument", "expected_version"),
        Row("expected_version a fraction", "update_task", """{"task_id":"{P}","expected_version":1.5}""", "invalid_argument", "expected_version"),
        Row("stale expected_version", "update_task", """{"task_id":"{P}","expected_version":99,"title":"x"}""", "version_conflict", "expected_version"),
        Row("empty title", "update_task", """{"task_id":"{P}","title":""}""", "missing_argument", "title"),
        Row("title too long", "update_task", """{"task_id":"{P}","title":"{x:201}"}""", "too_large", "title"),
        Row("description too long", "update_task", """{"task_id":"{P}","description":"{x:20001}"}""", "too_large", "description"),
        Row("estimated_effort too long", "update_task", """{"task_id":"{P}","estimated_effort":"{x:65}"}""", "too_large", "estimated_effort"),
        Row("task_type outside enum", "update_task", """{"task_id":"{P}","task_type":"bug"}""", "invalid_argument", "task_type"),
        Row("unknown specialist_type", "update_task", """{"task_id":"{P}","specialist_type":"wizard"}""", "invalid_argument", "specialist_type"),
        Row("due_date not a date", "update_task", """{"task_id":"{P}","due_date":"soon"}""", "invalid_argument", "due_date"),
        Row("context a number", "update_task", """{"task_id":"{P}","context":5}""", "invalid_argument", "context"),
        Row("status outside enum", "update_task", """{"task_id":"{P}","status":"done"}""", "invalid_argument", "status"),
        Row("status completed", "update_task", """{"task_id":"{IP}","status":"completed"}""", "invalid_argument", "status"),
        Row("status in_progress", "update_task", """{"task_id":"{P}","status":"in_progress"}""", "invalid_argument", "status"),
        Row("archived back to pending", "update_task", """{"task_id":"{ARCH}","status":"pending"}""", "illegal_transition", "status"),
        Row("completed to blocked", "update_task", """{"task_id":"{DONE}","status":"blocked","status_reason":"r"}""", "illegal_transition", "status"),
        Row("completed to failed", "update_task", """{"task_id":"{DONE}","status":"failed","status_reason":"r"}""", "illegal_transition", "status"),
        Row("blocked without reason", "update_task", """{"task_id":"{P}","status":"blocked"}""", "missing_argument", "status_reason"),
        Row("failed with blank reason", "update_task", """{"task_id":"{P}","status":"failed","status_reason":"  "}""", "missing_argument", "status_reason"),
        Row("claimed task without its lease token", "update_task", """{"task_id":"{IP}","title":"renamed"}""", "lease_required", "lease_token"),
        Row("status_reason too long", "update_task", """{"task_id":"{P}","status":"blocked","status_reason":"{x:4001}"}""", "too_large", "status_reason"),
        Row("cancel with open subtasks", "update_task", """{"task_id":"{PARENT}","status":"cancelled"}""", "has_children", "status"),
        Row("edit a completed task", "update_task", """{"task_id":"{DONE}","title":"rewrite"}""", "illegal_transition", "task_id"),
        Row("edit an archived task", "update_task", """{"task_id":"{ARCH}","priority":"high"}""", "illegal_transition", "task_id"),
        Row("add_dependencies an object", "update_task", """{"task_id":"{P}","add_dependencies":{}}""", "invalid_argument", "add_dependencies"),
        Row("add unknown dependency", "update_task", """{"task_id":"{P}","add_dependencies":["task_nope"]}""", "not_found", "add_dependencies"),
        Row("add null dependency", "update_task", """{"task_id":"{P}","add_dependencies":[null]}""", "invalid_argument", "add_dependencies[0]"),
        Row("remove null dependency", "update_task", """{"task_id":"{DEP}","remove_dependencies":[null]}""", "invalid_argument", "remove_dependencies[0]"),
        Row("remove empty dependency", "update_task", """{"task_id":"{DEP}","remove_dependencies":[""]}""", "missing_argument", "remove_dependencies[0]"),
        Row("clear null field", "update_task", """{"task_id":"{P}","clear_fields":[null]}""", "invalid_argument", "clear_fields[0]"),
        Row("add empty dependency", "update_task", """{"task_id":"{P}","add_dependencies":[""]}""", "missing_argument", "add_dependencies[0]"),
        Row("depend on itself", "update_task", """{"task_id":"{P}","add_dependencies":["{P}"]}""", "dependency_cycle", "add_dependencies[0]"),
        Row("close a cycle", "update_task", """{"task_id":"{P}","add_dependencies":["{BLK}","{DEP}"]}""", "dependency_cycle", "add_dependencies[1]"),
        Row("depend on own parent", "update_task", """{"task_id":"{CHILD}","add_dependencies":["{PARENT}"]}""", "dependency_cycle", "add_dependencies[0]"),
        Row("add dependencies to a completed task", "update_task", """{"task_id":"{DONE}","add_dependencies":["{P}"]}""", "illegal_transition", "task_id"),
        Row("remove a dependency it lacks", "update_task", """{"task_id":"{DEP}","remove_dependencies":["{BLK}"]}""", "not_found", "remove_dependencies[0]"),
        Row("101 dependencies to add", "update_task", """{"task_id":"{P}","add_dependencies":"{strings:101}"}""", "too_large", "add_dependencies"),
        Row("clear a required field", "update_task", """{"task_id":"{P}","clear_fields":["title"]}""", "invalid_argument", "clear_fields[0]"),
        Row("clear_fields too many", "update_task", """{"task_id":"{P}","clear_fields":["description","description","description","description","description","description"]}""", "too_large", "clear_fields"),
        Row("clear_fields a string", "update_task", """{"task_id":"{P}","clear_fields":"description"}""", "invalid_argument", "clear_fields"),
        Row("unknown parent_task_id", "update_task", """{"task_id":"{P}","parent_task_id":"task_nope"}""", "not_found", "parent_task_id"),
        Row("own parent", "update_task", """{"task_id":"{P}","parent_task_id":"{P}"}""", "invalid_argument", "parent_task_id"),
        Row("parent under its child", "update_task", """{"task_id":"{PARENT}","parent_task_id":"{CHILD}"}""", "dependency_cycle", "parent_task_id"),
        Row("parent it depends on", "update_task", """{"task_id":"{DEP}","parent_task_id":"{P}"}""", "dependency_cycle", "parent_task_id"),
        Row("parent completed", "update_task", """{"task_id":"{P}","parent_task_id":"{DONE}"}""", "illegal_transition", "parent_task_id"),
        Row("unknown argument", "update_task", """{"task_id":"{P}","name":"x"}""", "unknown_argument", "name"),
    ];

    [Theory]
    [MemberData(nameof(PlanRows))]
    public Task PlanTask_BadInput_ReturnsCodedErrorAndLeavesTheStoreUnchanged(string what, string tool, string arguments, string code, string? field)
    {
        _ = what;
        return AssertRefusedAsync(tool, arguments, code, field);
    }

    [Theory]
    [MemberData(nameof(UpdateRows))]
    public Task UpdateTask_BadInput_ReturnsCodedErrorAndLeavesTheStoreUnchanged(string what, string tool, string arguments, string code, string? field)
    {
        _ = what;
        return AssertRefusedAsync(tool, arguments, code, field);
    }
}

using TaskOrchestrator.Mcp.Tests.Harness;

namespace TaskOrchestrator.Mcp.Tests.BadInput;

public sealed partial class BadInputMatrixTests
{
    public static TheoryDataRow<string, string, string, string, string?>[] RemovalRows =>
    [
        Row("no arguments", "cancel_task", """{}""", "missing_argument", "task_id"),
        Row("empty task_id", "cancel_task", """{"task_id":""}""", "missing_argument", "task_id"),
        Row("task_id too long", "cancel_task", """{"task_id":"{x:129}"}""", "too_large", "task_id"),
        Row("unknown task_id", "cancel_task", """{"task_id":"task_nope"}""", "not_found", "task_id"),
        Row("reason too long", "cancel_task", """{"task_id":"{P}","reason":"{x:4001}"}""", "too_large", "reason"),
        Row("reason a number", "cancel_task", """{"task_id":"{P}","reason":5}""", "invalid_argument", "reason"),
        Row("cascade a string", "cancel_task", """{"task_id":"{P}","cascade":"true"}""", "invalid_argument", "cascade"),
        Row("preserve_work a number", "cancel_task", """{"task_id":"{P}","preserve_work":0}""", "invalid_argument", "preserve_work"),
        Row("completed", "cancel_task", """{"task_id":"{DONE}"}""", "illegal_transition", "task_id"),
        Row("archived", "cancel_task", """{"task_id":"{ARCH}"}""", "illegal_transition", "task_id"),
        Row("open subtasks without cascade", "cancel_task", """{"task_id":"{PARENT}"}""", "has_children", "cascade"),
        Row("unknown argument", "cancel_task", """{"task_id":"{P}","recursive":true}""", "unknown_argument", "recursive"),

        Row("no arguments", "delete_task", """{}""", "missing_argument", "task_id"),
        Row("empty task_id", "delete_task", """{"task_id":""}""", "missing_argument", "task_id"),
        Row("task_id too long", "delete_task", """{"task_id":"{x:129}"}""", "too_large", "task_id"),
        Row("task_id an array", "delete_task", """{"task_id":["{P}"]}""", "invalid_argument", "task_id"),
        Row("unknown task_id", "delete_task", """{"task_id":"task_nope"}""", "not_found", "task_id"),
        Row("force a number", "delete_task", """{"task_id":"{P}","force":1}""", "invalid_argument", "force"),
        Row("with subtasks", "delete_task", """{"task_id":"{PARENT}"}""", "has_children", "force"),
        Row("with subtasks, archiving", "delete_task", """{"task_id":"{PARENT}","archive_instead":true}""", "has_children", "force"),
        Row("with dependents", "delete_task", """{"task_id":"{P}"}""", "has_dependents", "force"),
        Row("in progress", "delete_task", """{"task_id":"{IP}"}""", "task_held", "force"),
        Row("in progress, archiving", "delete_task", """{"task_id":"{IP}","archive_instead":true}""", "task_held", "force"),
        Row("unknown argument", "delete_task", """{"task_id":"{P}","recursive":true}""", "unknown_argument", "recursive"),
    ];

    public static TheoryDataRow<string, string, string, string, string?>[] ExecutionRows =>
    [
        Row("no arguments", "execute_task", """{}""", "missing_argument", "task_id"),
        Row("empty task_id", "execute_task", """{"task_id":""}""", "missing_argument", "task_id"),
        Row("task_id too long", "execute_task", """{"task_id":"{x:129}"}""", "too_large", "task_id"),
        Row("task_id a number", "execute_task", """{"task_id":5}""", "invalid_argument", "task_id"),
        Row("unknown task_id", "execute_task", """{"task_id":"task_nope"}""", "not_found", "task_id"),
        Row("empty agent_id", "execute_task", """{"task_id":"{P}","agent_id":""}""", "missing_argument", "agent_id"),
        Row("agent_id too long", "execute_task", """{"task_id":"{P}","agent_id":"{x:129}"}""", "too_large", "agent_id"),
        Row("unfinished dependency", "execute_task", """{"task_id":"{DEP}"}""", "dependencies_incomplete", "task_id"),
        Row("held by another agent", "execute_task", """{"task_id":"{IP}","agent_id":"agent-2"}""", "task_held", "task_id"),
        Row("held, no agent named", "execute_task", """{"task_id":"{IP}"}""", "task_held", "task_id"),
        Row("blocked", "execute_task", """{"task_id":"{BLK}"}""", "illegal_transition", "task_id"),
        Row("completed", "execute_task", """{"task_id":"{DONE}"}""", "illegal_transition", "task_id"),
        Row("archived", "execute_task", """{"task_id":"{ARCH}"}""", "illegal_transition", "task_id"),
        Row("unknown argument", "execute_task", """{"task_id":"{P}","agent":"a"}""", "unknown_argument", "agent"),

        Row("no arguments", "complete_task", """{}""", "missing_argument", "task_id"),
        Row("no summary", "complete_task", """{"task_id":"{IP}"}""", "missing_argument", "summary"),
        Row("empty summary", "complete_task", """{"task_id":"{IP}","summary":""}""", "missing_argument", "summary"),
        Row("summary too long", "complete_task", """{"task_id":"{IP}","summary":"{x:4001}"}""", "too_large", "summary"),
        Row("summary a number", "complete_task", """{"task_id":"{IP}","summary":5}""", "invalid_argument", "summary"),
        Row("empty task_id", "complete_task", """{"task_id":"","summary":"s"}""", "missing_argument", "task_id"),
        Row("unknown task_id", "complete_task", """{"task_id":"task_nope","summary":"s"}""", "not_found", "task_id"),
        Row("detailed_work too long", "complete_task", """{"task_id":"{IP}","summary":"s","detailed_work":"{x:1048577}"}""", "too_large", "detailed_work"),
        Row("next_action outside enum", "complete_task", """{"task_id":"{IP}","summary":"s","next_action":"done"}""", "invalid_argument", "next_action"),
        Row("artifact_type outside enum", "complete_task", """{"task_id":"{IP}","summary":"s","artifact_type":"binary"}""", "invalid_argument", "artifact_type"),
        Row("file_paths a string", "complete_task", """{"task_id":"{IP}","summary":"s","file_paths":"inside.txt"}""", "invalid_argument", "file_paths"),
        Row("file_paths an object", "complete_task", """{"task_id":"{IP}","summary":"s","file_paths":{"a":"inside.txt"}}""", "invalid_argument", "file_paths"),
        Row("null file path", "complete_task", """{"task_id":"{IP}","summary":"s","file_paths":[null]}""", "invalid_argument", "file_paths[0]"),
        Row("empty file path", "complete_task", """{"task_id":"{IP}","summary":"s","file_paths":[""]}""", "missing_argument", "file_paths[0]"),
        Row("201 file paths", "complete_task", """{"task_id":"{IP}","summary":"s","file_paths":"{strings:201}"}""", "too_large", "file_paths"),
        Row("file path too long", "complete_task", """{"task_id":"{IP}","summary":"s","file_paths":["{x:1025}"]}""", "invalid_argument", "file_paths[0]"),
        Row("file path with NUL", "complete_task", """{"task_id":"{IP}","summary":"s","file_paths":["inside\u0000.txt"]}""", "invalid_argument", "file_paths[0]"),
        Row("../ to a sibling folder", "complete_task", """{"task_id":"{IP}","summary":"s","file_paths":["../{OUTNAME}/secret.txt"]}""", "path_outside_workspace", "file_paths[0]"),
        Row("../ climbing to the root", "complete_task", """{"task_id":"{IP}","summary":"s","file_paths":["../../../../../../../../etc/passwd"]}""", "path_outside_workspace", "file_paths[0]"),
        Row("../ inside a subpath", "complete_task", """{"task_id":"{IP}","summary":"s","file_paths":["inside.txt","sub/../../{OUTNAME}/secret.txt"]}""", "path_outside_workspace", "file_paths[1]"),
        Row("absolute path outside", "complete_task", """{"task_id":"{IP}","summary":"s","file_paths":["/etc/hostname"]}""", "path_outside_workspace", "file_paths[0]"),
        Row("absolute path of a sibling", "complete_task", """{"task_id":"{IP}","summary":"s","file_paths":["{OUT}/secret.txt"]}""", "path_outside_workspace", "file_paths[0]"),
        Row("workspace prefix of a sibling name", "complete_task", """{"task_id":"{IP}","summary":"s","file_paths":["{WS}-evil/x.txt"]}""", "path_outside_workspace", "file_paths[0]"),
        Row("symlinked file escaping", "complete_task", """{"task_id":"{IP}","summary":"s","file_paths":["escape.txt"]}""", "path_outside_workspace", "file_paths[0]"),
        Row("symlinked folder escaping", "complete_task", """{"task_id":"{IP}","summary":"s","file_paths":["linkdir/secret.txt"]}""", "path_outside_workspace", "file_paths[0]"),
        Row("missing file", "complete_task", """{"task_id":"{IP}","summary":"s","file_paths":["inside.txt","missing.txt"]}""", "file_not_found", "file_paths[1]"),
        Row("not started", "complete_task", """{"task_id":"{P}","summary":"s"}""", "illegal_transition", "task_id"),
        Row("already completed", "complete_task", """{"task_id":"{DONE}","summary":"again"}""", "illegal_transition", "task_id"),
        Row("blocked", "complete_task", """{"task_id":"{BLK}","summary":"s"}""", "illegal_transition", "task_id"),
        Row("claimed by another agent, no lease token", "complete_task", """{"task_id":"{IP}","summary":"s","agent_id":"agent-2"}""", "lease_required", "lease_token"),
        Row("a stale lease token", "complete_task", """{"task_id":"{IP}","summary":"s","lease_token":"lease_0_000000000000000000000000"}""", "lease_lost", "lease_token"),
        Row("empty agent_id", "complete_task", """{"task_id":"{IP}","summary":"s","agent_id":""}""", "missing_argument", "agent_id"),
        Row("empty idempotency_key", "complete_task", """{"task_id":"{IP}","summary":"s","idempotency_key":""}""", "missing_argument", "idempotency_key"),
        Row("idempotency_key reused", "complete_task", """{"task_id":"{IP}","summary":"s","idempotency_key":"done-key"}""", "idempotency_key_reused", "idempotency_key"),
        Row("unknown argument", "complete_task", """{"task_id":"{IP}","summary":"s","files":["inside.txt"]}""", "unknown_argument", "files"),
    ];

    [Theory]
    [MemberData(nameof(RemovalRows))]
    public Task CancelAndDeleteTask_BadInput_ReturnsCodedErrorAndLeavesTheStoreUnchanged(string what, string tool, string arguments, string code, string? field)
    {
        _ = what;
        return AssertRefusedAsync(tool, arguments, code, field);
    }

    [Theory]
    [MemberData(nameof(ExecutionRows))]
    public Task ExecuteAndCompleteTask_BadInput_ReturnsCodedErrorAndLeavesTheStoreUnchanged(string what, string tool, string arguments, string code, string? field)
    {
        _ = what;
        return AssertRefusedAsync(tool, arguments, code, field);
    }
}

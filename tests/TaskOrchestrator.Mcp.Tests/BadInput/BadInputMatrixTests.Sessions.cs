using TaskOrchestrator.Mcp.Tests.Harness;

namespace TaskOrchestrator.Mcp.Tests.BadInput;

public sealed partial class BadInputMatrixTests
{
    public static TheoryDataRow<string, string, string, string, string?>[] SessionRows =>
    [
        Row("unknown argument", "initialize_session", """{"sessionName":"x"}""", "unknown_argument", "sessionName"),
        Row("empty session_name", "initialize_session", """{"session_name":""}""", "missing_argument", "session_name"),
        Row("blank session_name", "initialize_session", """{"session_name":"   "}""", "missing_argument", "session_name"),
        Row("session_name too long", "initialize_session", """{"session_name":"{x:201}"}""", "too_large", "session_name"),
        Row("session_name a number", "initialize_session", """{"session_name":5}""", "invalid_argument", "session_name"),
        Row("empty working_directory", "initialize_session", """{"working_directory":""}""", "missing_argument", "working_directory"),
        Row("missing working_directory", "initialize_session", """{"working_directory":"/nonexistent/folder"}""", "invalid_argument", "working_directory"),
        Row("working_directory is a file", "initialize_session", """{"working_directory":"{WS}/inside.txt"}""", "invalid_argument", "working_directory"),
        Row("working_directory too long", "initialize_session", """{"working_directory":"/{x:4096}"}""", "too_large", "working_directory"),
        Row("working_directory an array", "initialize_session", """{"working_directory":[]}""", "invalid_argument", "working_directory"),

        Row("status outside enum", "list_sessions", """{"status":"closed"}""", "invalid_argument", "status"),
        Row("limit zero", "list_sessions", """{"limit":0}""", "invalid_argument", "limit"),
        Row("limit above 200", "list_sessions", """{"limit":201}""", "invalid_argument", "limit"),
        Row("limit a string", "list_sessions", """{"limit":"10"}""", "invalid_argument", "limit"),
        Row("limit a fraction", "list_sessions", """{"limit":1.5}""", "invalid_argument", "limit"),
        Row("negative offset", "list_sessions", """{"offset":-1}""", "invalid_argument", "offset"),
        Row("offset above int range", "list_sessions", """{"offset":2147483648}""", "invalid_argument", "offset"),
        Row("missing working_directory", "list_sessions", """{"working_directory":"/nonexistent/folder"}""", "invalid_argument", "working_directory"),
        Row("unknown argument", "list_sessions", """{"page":2}""", "unknown_argument", "page"),

        Row("no session_id", "resume_session", """{}""", "missing_argument", "session_id"),
        Row("null session_id", "resume_session", """{"session_id":null}""", "missing_argument", "session_id"),
        Row("empty session_id", "resume_session", """{"session_id":""}""", "missing_argument", "session_id"),
        Row("blank session_id", "resume_session", """{"session_id":"  "}""", "missing_argument", "session_id"),
        Row("unknown session_id", "resume_session", """{"session_id":"ses_0000000000000000"}""", "not_found", "session_id"),
        Row("session_id too long", "resume_session", """{"session_id":"{x:129}"}""", "too_large", "session_id"),
        Row("session_id a number", "resume_session", """{"session_id":42}""", "invalid_argument", "session_id"),
        Row("missing working_directory", "resume_session", """{"session_id":"{S}","working_directory":"/nonexistent/folder"}""", "invalid_argument", "working_directory"),
        Row("unknown argument", "resume_session", """{"session_id":"{S}","force":true}""", "unknown_argument", "force"),

        Row("unknown session_id", "session_status", """{"session_id":"ses_0000000000000000"}""", "not_found", "session_id"),
        Row("empty session_id", "session_status", """{"session_id":""}""", "missing_argument", "session_id"),
        Row("session_id too long", "session_status", """{"session_id":"{x:129}"}""", "too_large", "session_id"),
        Row("session_id an object", "session_status", """{"session_id":{}}""", "invalid_argument", "session_id"),
        Row("unknown argument", "session_status", """{"session":"{S}"}""", "unknown_argument", "session"),

        Row("cleanup_type outside enum", "cleanup_sessions", """{"cleanup_type":"old"}""", "invalid_argument", "cleanup_type"),
        Row("older_than_days negative", "cleanup_sessions", """{"older_than_days":-1}""", "invalid_argument", "older_than_days"),
        Row("older_than_days above 3650", "cleanup_sessions", """{"older_than_days":3651}""", "invalid_argument", "older_than_days"),
        Row("older_than_days a string", "cleanup_sessions", """{"older_than_days":"30"}""", "invalid_argument", "older_than_days"),
        Row("older_than_days a fraction", "cleanup_sessions", """{"older_than_days":1.5}""", "invalid_argument", "older_than_days"),
        Row("dry_run a string", "cleanup_sessions", """{"dry_run":"yes"}""", "invalid_argument", "dry_run"),
        Row("unknown argument", "cleanup_sessions", """{"cleanup_type":"all","everything":true}""", "unknown_argument", "everything"),
    ];

    [Theory]
    [MemberData(nameof(SessionRows))]
    public Task SessionTools_BadInput_ReturnsCodedErrorAndLeavesTheStoreUnchanged(string what, string tool, string arguments, string code, string? field)
    {
        _ = what;
        return AssertRefusedAsync(tool, arguments, code, field);
    }
}

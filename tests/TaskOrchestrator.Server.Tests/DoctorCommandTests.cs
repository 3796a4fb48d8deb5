using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Shouldly;
using TaskOrchestrator.Storage.Sqlite;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Server.Tests;

/// <summary><c>task-orchestrator doctor</c> run as a user runs it: the built executable on real folders.</summary>
public sealed partial class DoctorCommandTests
{
    private static readonly string[] CheckNames = ["runtime", "workspace", "database", "schema", "disk_space", "configuration", "dependencies"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Doctor_FreshWorkspace_ExitsZeroWithEveryCheckOkOrWarning()
    {
        using var workspace = new TemporaryDirectory("to-doctor");

        var (exit, stdout, stderr) = await RunAsync(null, "doctor", "--workspace", workspace.Path);

        TestContext.Current.TestOutputHelper?.WriteLine(stdout);
        exit.ShouldBe(0, stderr);
        var rows = TableRows(stdout);
        rows.Keys.ShouldBe(CheckNames);
        rows.Values.ShouldAllBe(status => status == "ok" || status == "warning");
        stdout.TrimEnd().Split('\n')[^1].ShouldMatch(@"^(ok|warning): 0 critical, \d+ warnings?, \d+ ok; ready to serve");
        Directory.Exists(Path.Combine(workspace.Path, ".task-orchestrator")).ShouldBeTrue();
        Directory.GetFiles(Path.Combine(workspace.Path, ".task-orchestrator")).ShouldBeEmpty(); // its probe files are gone
    }

    [Fact]
    public async Task Doctor_Json_PrintsOneObjectListingEveryCheckByName()
    {
        using var workspace = new TemporaryDirectory("to-doctor");

        var (exit, stdout, _) = await RunAsync(null, "doctor", "--workspace", workspace.Path, "--json");

        exit.ShouldBe(0);
        var report = JsonNode.Parse(stdout)!.AsObject();
        report.Select(p => p.Key).ShouldBe(["checks", "status"]);
        var checks = report["checks"]!.AsArray().Select(c => c!.AsObject()).ToArray();
        checks.Select(c => c["name"]!.GetValue<string>()).ShouldBe(CheckNames);
        foreach (var check in checks)
        {
            check.Select(p => p.Key).ShouldBe(["name", "status", "finding", "hint", "figures"]);
            check["status"]!.GetValue<string>().ShouldBeOneOf("ok", "warning");
            check["finding"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
            check["figures"].ShouldBeOfType<JsonObject>();
        }

        report["status"]!.GetValue<string>().ShouldBeOneOf("ok", "warning");
        var byName = checks.ToDictionary(c => c["name"]!.GetValue<string>());
        byName["runtime"]!["figures"]!["version"]!.GetValue<string>().ShouldStartWith("10.");
        byName["workspace"]!["figures"]!["path"]!.GetValue<string>().ShouldBe(workspace.Path);
        byName["database"]!["figures"]!["path"]!.GetValue<string>().ShouldBe(SqliteStoreProvider.DatabasePath(workspace.Path));
        byName["schema"]!["figures"]!["latest_version"]!.GetValue<int>().ShouldBe(SqliteStoreProvider.LatestSchemaVersion);
        byName["disk_space"]!["figures"]!["free_bytes"]!.GetValue<long>().ShouldBeGreaterThan(0);
        byName["dependencies"]!["figures"]!["sqlite_fts5"]!.GetValue<bool>().ShouldBeTrue();
        byName["dependencies"]!["figures"]!["assembly_failures"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Doctor_DataFolderPathIsARegularFile_ExitsOneWithTheWorkspaceCheckCritical()
    {
        // Root ignores mode bits; a file where the data folder must go stops root as well as anyone.
        using var workspace = new TemporaryDirectory("to-doctor");
        var dataFolder = Path.Combine(workspace.Path, ".task-orchestrator");
        await File.WriteAllTextAsync(dataFolder, "not a folder", Ct);

        var (exit, stdout, _) = await RunAsync(null, "doctor", "--workspace", workspace.Path);

        TestContext.Current.TestOutputHelper?.WriteLine(stdout);
        exit.ShouldBe(1);
        var rows = TableRows(stdout);
        rows["workspace"].ShouldBe("critical");
        rows["database"].ShouldBe("critical");
        stdout.ShouldContain($"'{dataFolder}' is a file, not a folder: the database and logs cannot be created there.");
        stdout.TrimEnd().Split('\n')[^1].ShouldStartWith("critical: 2 critical,");
    }

    [Fact]
    public async Task Doctor_WorkspaceFolderImmutable_ExitsOneWithTheWorkspaceCheckCritical()
    {
        // chattr +i stops root from creating entries in the folder, unlike chmod; it needs a file
        // system with the attribute (ext4, xfs, btrfs) and CAP_LINUX_IMMUTABLE.
        using var workspace = new TemporaryDirectory("to-doctor");
        var (set, why) = await ChattrAsync("+i", workspace.Path);
        if (!set)
        {
            Assert.Skip($"chattr +i is not available for {workspace.Path} here: {why}");
        }

        try
        {
            var (exit, stdout, _) = await RunAsync(null, "doctor", "--workspace", workspace.Path, "--json");

            exit.ShouldBe(1);
            var check = Check(stdout, "workspace");
            check["status"]!.GetValue<string>().ShouldBe("critical");
            check["finding"]!.GetValue<string>().ShouldBe(
                $"The workspace '{workspace.Path}' is not writable: cannot create '{workspace.Path}/.task-orchestrator': Access to the path '{workspace.Path}/.task-orchestrator' is denied.");
            check["hint"]!.GetValue<string>().ShouldContain("lsattr -d");
            JsonNode.Parse(stdout)!["status"]!.GetValue<string>().ShouldBe("critical");
        }
        finally
        {
            await ChattrAsync("-i", workspace.Path);
        }
    }

    [Fact]
    public async Task Doctor_DatabaseWrittenByANewerSchema_ExitsOneWithTheSchemaCheckCritical()
    {
        using var workspace = new TemporaryDirectory("to-doctor");
        await CreateDatabaseAsync(workspace.Path, "INSERT INTO schema_version (version, name, applied_at) VALUES (99, 'future', 0)");

        var (exit, stdout, _) = await RunAsync(null, "doctor", "--workspace", workspace.Path, "--json");

        exit.ShouldBe(1);
        var schema = Check(stdout, "schema");
        schema["status"]!.GetValue<string>().ShouldBe("critical");
        schema["finding"]!.GetValue<string>().ShouldBe(
            $"Schema version 99 was written by a newer TaskOrchestrator; this build knows versions up to {SqliteStoreProvider.LatestSchemaVersion} and will refuse to open it.");
        schema["figures"]!["applied_version"]!.GetValue<int>().ShouldBe(99);
        Check(stdout, "database")["status"]!.GetValue<string>().ShouldBe("ok");
        JsonNode.Parse(stdout)!["checks"]!.AsArray().Count(c => c!["status"]!.GetValue<string>() == "critical").ShouldBe(1);
    }

    [Fact]
    public async Task Doctor_DatabaseAtAnOlderSchema_ExitsZeroWithTheSchemaCheckWarningItWillBeMigrated()
    {
        using var workspace = new TemporaryDirectory("to-doctor");
        await CreateDatabaseAsync(workspace.Path, $"DELETE FROM schema_version WHERE version = {SqliteStoreProvider.LatestSchemaVersion}");

        var (exit, stdout, _) = await RunAsync(null, "doctor", "--workspace", workspace.Path, "--json");

        exit.ShouldBe(0);
        var schema = Check(stdout, "schema");
        schema["status"]!.GetValue<string>().ShouldBe("warning");
        schema["finding"]!.GetValue<string>().ShouldBe(
            $"Schema version {SqliteStoreProvider.LatestSchemaVersion - 1} is older than this build's {SqliteStoreProvider.LatestSchemaVersion}: it will be migrated on first use.");
    }

    [Fact]
    public async Task Doctor_CurrentDatabase_DatabaseAndSchemaChecksOkAfterQuickCheckAndWriteLock()
    {
        using var workspace = new TemporaryDirectory("to-doctor");
        await CreateDatabaseAsync(workspace.Path, null);

        var (exit, stdout, _) = await RunAsync(null, "doctor", "--workspace", workspace.Path, "--json");

        exit.ShouldBe(0);
        var database = Check(stdout, "database");
        database["status"]!.GetValue<string>().ShouldBe("ok");
        database["figures"]!["quick_check"]!.AsArray().Select(p => p!.GetValue<string>()).ShouldBe(["ok"]);
        database["figures"]!["journal_mode"]!.GetValue<string>().ShouldBe("wal");
        database["figures"]!["write_lock_ms"]!.GetValue<double>().ShouldBeGreaterThanOrEqualTo(0);
        Check(stdout, "schema")["finding"]!.GetValue<string>().ShouldBe($"Schema version {SqliteStoreProvider.LatestSchemaVersion} is current.");
    }

    [Fact]
    public async Task Doctor_DatabaseFileIsNotADatabase_ExitsOneWithTheDatabaseCheckCritical()
    {
        using var workspace = new TemporaryDirectory("to-doctor");
        Directory.CreateDirectory(Path.Combine(workspace.Path, ".task-orchestrator"));
        await File.WriteAllBytesAsync(SqliteStoreProvider.DatabasePath(workspace.Path), [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))], Ct);

        var (exit, stdout, _) = await RunAsync(null, "doctor", "--workspace", workspace.Path, "--json");

        exit.ShouldBe(1);
        var database = Check(stdout, "database");
        database["status"]!.GetValue<string>().ShouldBe("critical");
        database["finding"]!.GetValue<string>().ShouldBe($"'{SqliteStoreProvider.DatabasePath(workspace.Path)}' is not a valid SQLite database: SQLite Error 26: 'file is not a database'.");
        Check(stdout, "schema")["status"]!.GetValue<string>().ShouldBe("warning");
    }

    [Fact]
    public async Task Doctor_NegativeBusyTimeoutFromTheEnvironment_ExitsOneWithTheConfigurationCheckCritical()
    {
        using var workspace = new TemporaryDirectory("to-doctor");
        var environment = new Dictionary<string, string> { ["TASK_ORCHESTRATOR__Storage__Sqlite__BusyTimeout"] = "-00:00:05" };

        var (exit, stdout, _) = await RunAsync(environment, "doctor", "--workspace", workspace.Path, "--json");

        exit.ShouldBe(1);
        var configuration = Check(stdout, "configuration");
        configuration["status"]!.GetValue<string>().ShouldBe("critical");
        configuration["finding"]!.GetValue<string>().ShouldBe(
            "1 invalid setting (from defaults with 1 TASK_ORCHESTRATOR__ variable): Storage:Sqlite:BusyTimeout is -00:00:05; it must be a positive duration up to 00:10:00, such as 00:00:30.");
        configuration["figures"]!["environment_variables"]!.AsArray().Select(v => v!.GetValue<string>()).ShouldBe(["TASK_ORCHESTRATOR__Storage__Sqlite__BusyTimeout"]);
        JsonNode.Parse(stdout)!["checks"]!.AsArray().Where(c => c!["status"]!.GetValue<string>() == "critical").Select(c => c!["name"]!.GetValue<string>()).ShouldBe(["configuration"]);
    }

    [Fact]
    public async Task Doctor_SloObjectiveAboveOneAndNegativeToolThreshold_ExitsOneNamingBothSettings()
    {
        using var workspace = new TemporaryDirectory("to-doctor");
        var environment = new Dictionary<string, string>
        {
            ["TASK_ORCHESTRATOR__Slo__Availability"] = "1.5",
            ["TASK_ORCHESTRATOR__Slo__Tools__orchestrator_plan_task__LatencyThreshold"] = "-00:00:01",
        };

        var (exit, stdout, _) = await RunAsync(environment, "doctor", "--workspace", workspace.Path, "--json");

        exit.ShouldBe(1);
        var configuration = Check(stdout, "configuration");
        configuration["status"]!.GetValue<string>().ShouldBe("critical");
        configuration["finding"]!.GetValue<string>().ShouldBe(
            "2 invalid settings (from defaults with 2 TASK_ORCHESTRATOR__ variables): "
            + "Slo:Availability is 1.5; an objective is a fraction greater than 0 and less than 1, for example 0.999 for 99.9 %. "
            + "Slo:Tools:orchestrator_plan_task:LatencyThreshold is -00:00:01; it must be a positive duration such as 00:00:00.100 (100 ms).");
    }

    [Fact]
    public async Task Doctor_SupervisorSettingOutOfRange_ExitsOneNamingTheSetting()
    {
        using var workspace = new TemporaryDirectory("to-doctor");
        var environment = new Dictionary<string, string> { ["TASK_ORCHESTRATOR__Supervisor__CrashLoopLimit"] = "0" };

        var (exit, stdout, _) = await RunAsync(environment, "doctor", "--workspace", workspace.Path, "--json");

        exit.ShouldBe(1);
        var configuration = Check(stdout, "configuration");
        configuration["status"]!.GetValue<string>().ShouldBe("critical");
        configuration["finding"]!.GetValue<string>().ShouldStartWith("1 invalid setting (from defaults with 1 TASK_ORCHESTRATOR__ variable): Supervisor: ");
        configuration["finding"]!.GetValue<string>().ShouldContain("CrashLoopLimit");
    }

    [Fact]
    public async Task Doctor_HttpOnAReachableAddressWithoutTokens_ExitsOneNamingTheSetting()
    {
        using var workspace = new TemporaryDirectory("to-doctor");
        var environment = new Dictionary<string, string> { ["TASK_ORCHESTRATOR__Http__Urls"] = "http://0.0.0.0:7420" };

        var (exit, stdout, _) = await RunAsync(environment, "doctor", "--workspace", workspace.Path, "--json");

        exit.ShouldBe(1);
        var configuration = Check(stdout, "configuration");
        configuration["status"]!.GetValue<string>().ShouldBe("critical");
        configuration["finding"]!.GetValue<string>().ShouldStartWith("1 invalid setting (from defaults with 1 TASK_ORCHESTRATOR__ variable): Http:Urls includes 'http://0.0.0.0:7420', which other machines can reach, but no token is configured");
    }

    [Fact]
    public async Task Doctor_ConfigFileMissing_ExitsOneWithTheConfigurationCheckCritical()
    {
        using var workspace = new TemporaryDirectory("to-doctor");
        var missing = Path.Combine(workspace.Path, "missing.json");

        var (exit, stdout, _) = await RunAsync(null, "doctor", "--workspace", workspace.Path, "--config", missing, "--json");

        exit.ShouldBe(1);
        var configuration = Check(stdout, "configuration");
        configuration["status"]!.GetValue<string>().ShouldBe("critical");
        configuration["finding"]!.GetValue<string>().ShouldStartWith("The configuration cannot be loaded: ");
        configuration["finding"]!.GetValue<string>().ShouldContain(missing);
    }

    [Fact]
    public async Task Doctor_ServerAssemblyCorrupt_ExitsOneWithTheDependenciesCheckNamingIt()
    {
        // A copy of the build with one assembly the server loads replaced by garbage: the host starts
        // (it checks that files exist, not what they hold), and only the doctor's walk finds it.
        using var build = new TemporaryDirectory("to-doctor-build");
        using var workspace = new TemporaryDirectory("to-doctor");
        foreach (var file in Directory.GetFiles(AppContext.BaseDirectory, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(build.Path, Path.GetRelativePath(AppContext.BaseDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        await File.WriteAllBytesAsync(Path.Combine(build.Path, "Serilog.Sinks.Console.dll"), [.. Enumerable.Repeat((byte)0x5A, 2048)], Ct);

        var (exit, stdout, _) = await RunDllAsync(null, Path.Combine(build.Path, "task-orchestrator.dll"), ["doctor", "--workspace", workspace.Path, "--json"]);

        exit.ShouldBe(1);
        var dependencies = Check(stdout, "dependencies");
        dependencies["status"]!.GetValue<string>().ShouldBe("critical");
        dependencies["finding"]!.GetValue<string>().ShouldStartWith("1 assembly of the server cannot be loaded: Serilog.Sinks.Console 5.0.0.0 (needed by task-orchestrator): ");
    }

    [Fact]
    public async Task Doctor_UnknownOption_ExitsTwo()
    {
        var (exit, _, stderr) = await RunAsync(null, "doctor", "--no-such-option");

        exit.ShouldBe(2);
        stderr.ShouldContain("--no-such-option");
    }

    [Fact]
    public async Task Help_ListsTheDoctorCommand()
    {
        var (exit, stdout, _) = await RunAsync(null, "--help");

        exit.ShouldBe(0);
        stdout.ShouldContain("doctor");
    }

    /// <summary>A workspace database made by the real store, then changed with <paramref name="sql"/>.</summary>
    private static async Task CreateDatabaseAsync(string workspace, string? sql)
    {
        await using (var provider = new SqliteStoreProvider(new SqliteStoreOptions(), TimeProvider.System))
        {
            await provider.OpenAsync(workspace, Ct);
        }

        if (sql is not null)
        {
            using var connection = WorkspaceDatabase.Open(workspace);
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }

    private static JsonObject Check(string json, string name) =>
        JsonNode.Parse(json)!["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!.AsObject();

    /// <summary>The check rows of the table, name to status, in order.</summary>
    private static Dictionary<string, string> TableRows(string table) =>
        TableRow().Matches(table).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    [GeneratedRegex(@"^  ([a-z_]+) +(ok|warning|critical) ", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    private static async Task<(bool Done, string Output)> ChattrAsync(string change, string path)
    {
        try
        {
            var start = new ProcessStartInfo("chattr") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(change);
            start.ArgumentList.Add(path);
            using var process = Process.Start(start)!;
            var output = await process.StandardError.ReadToEndAsync(Ct) + await process.StandardOutput.ReadToEndAsync(Ct);
            await process.WaitForExitAsync(Ct);
            return (process.ExitCode == 0, output.Trim());
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (false, ex.Message);
        }
    }

    private static Task<(int Exit, string Stdout, string Stderr)> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        RunDllAsync(environment, ServerProcess.ServerDll, arguments);

    private static async Task<(int Exit, string Stdout, string Stderr)> RunDllAsync(IReadOnlyDictionary<string, string>? environment, string serverDll, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(serverDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The doctor reads the same environment as serve: keep the test runner's own settings out of it.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("TASK_ORCHESTRATOR", StringComparison.Ordinal)).ToArray())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await stdout, await stderr);
    }
}

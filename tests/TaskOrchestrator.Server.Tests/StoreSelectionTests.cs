using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Shouldly;
using TaskOrchestrator.Server.Hosting;
using TaskOrchestrator.Storage.Postgres;
using TaskOrchestrator.Storage.Sqlite;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Server.Tests;

/// <summary>Which store backend the server composes, from configuration and the command line.</summary>
public sealed class StoreSelectionTests
{
    [Fact]
    public async Task CreateProvider_NothingConfigured_IsSqlite()
    {
        await using var provider = (IAsyncDisposable)StoreRegistration.CreateProvider(Configuration(), new SqliteStoreOptions(), TimeProvider.System);

        provider.ShouldBeOfType<SqliteStoreProvider>();
    }

    [Fact]
    public async Task CreateProvider_PostgresWithConnectionString_IsPostgresDescribedWithoutThePassword()
    {
        await using var provider = (PostgresStoreProvider)StoreRegistration.CreateProvider(
            Configuration(("Storage:Provider", "postgres"), ("Storage:Postgres:ConnectionString", "Host=db.internal;Database=orchestrator;Username=team;Password=s3cret")),
            new SqliteStoreOptions(),
            TimeProvider.System);

        provider.Backend.ShouldBe("postgres");
        provider.Database.ShouldBe("postgres://team@db.internal:5432/orchestrator");
    }

    [Fact]
    public void CreateProvider_PostgresWithoutConnectionString_IsRefusedSayingWhatToSet()
    {
        var ex = Should.Throw<ValidationException>(() => StoreRegistration.CreateProvider(Configuration(("Storage:Provider", "postgres")), new SqliteStoreOptions(), TimeProvider.System));

        ex.Message.ShouldContain("no connection string");
        ex.Message.ShouldContain("TASK_ORCHESTRATOR_CONNECTION_STRING");
    }

    [Fact]
    public void CreateProvider_UnknownProvider_IsRefusedNamingTheAllowedOnes()
    {
        var ex = Should.Throw<ValidationException>(() => StoreRegistration.CreateProvider(Configuration(("Storage:Provider", "mysql")), new SqliteStoreOptions(), TimeProvider.System));

        ex.Message.ShouldContain("'mysql'");
        ex.Message.ShouldContain("sqlite, postgres");
    }

    [Fact]
    public void CreateProvider_PostgresWithZeroBusyTimeout_IsRefusedNamingTheSetting()
    {
        var ex = Should.Throw<ValidationException>(() => StoreRegistration.CreateProvider(
            Configuration(("Storage:Provider", "postgres"), ("Storage:Postgres:ConnectionString", "Host=db;Password=s3cret"), ("Storage:Postgres:BusyTimeout", "00:00:00")),
            new SqliteStoreOptions(),
            TimeProvider.System));

        ex.Message.ShouldContain("Storage:Postgres:BusyTimeout");
        ex.Message.ShouldNotContain("s3cret");
    }

    [Fact]
    public async Task ServeWorker_StorePostgresWithoutConnectionString_ExitsWithCode2AndSaysWhatIsMissing()
    {
        using var workspace = new TemporaryDirectory();

        var (exit, stdout, stderr) = await RunAsync("serve-worker", "--workspace", workspace.Path, "--store", "postgres");

        exit.ShouldBe(2);
        stdout.ShouldBeEmpty();
        stderr.ShouldContain("The PostgreSQL store was chosen but no connection string was given.");
    }

    [Fact]
    public async Task Serve_UnknownStore_IsRefusedNamingTheAllowedValues()
    {
        using var workspace = new TemporaryDirectory();

        var (exit, _, stderr) = await RunAsync("--workspace", workspace.Path, "--store", "mysql");

        exit.ShouldBe(2);
        stderr.ShouldContain("mysql");
        stderr.ShouldContain("postgres");
    }

    [Fact]
    public async Task Doctor_StorePostgresWithoutConnectionString_ReportsTheDatabaseCritical()
    {
        using var workspace = new TemporaryDirectory();

        var (exit, stdout, _) = await RunAsync("doctor", "--workspace", workspace.Path, "--store", "postgres", "--json");

        exit.ShouldBe(1);
        var database = System.Text.Json.Nodes.JsonNode.Parse(stdout)!["checks"]!.AsArray().Single(c => (string?)c!["name"] == "database")!;
        ((string?)database["status"]).ShouldBe("critical");
        ((string?)database["finding"]).ShouldBe("The PostgreSQL store was chosen but no connection string was given.");
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(ServerProcess.ServerDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The environment must not choose the store for the child: these tests choose it on the command line.
        start.Environment.Remove(StorageOptions.ProviderVariable);
        start.Environment.Remove(StorageOptions.ConnectionStringVariable);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }
}

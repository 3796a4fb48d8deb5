using System.Diagnostics;
using Shouldly;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Server.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public async Task Version_PrintsProductVersionWithSourceRevision()
    {
        var (exit, stdout, _) = await RunAsync("--version");

        exit.ShouldBe(0);
        stdout.Trim().ShouldMatch(@"^\d+\.\d+\.\d+(\+[0-9a-f]{7,40})?$");
    }

    [Fact]
    public async Task Help_ListsServeCommandAndOptions()
    {
        var (exit, stdout, _) = await RunAsync("--help");

        exit.ShouldBe(0);
        stdout.ShouldContain("serve");
        stdout.ShouldContain("--workspace");
        stdout.ShouldContain("--log-level");
        stdout.ShouldContain("--config");
    }

    [Fact]
    public async Task Serve_WorkspaceFolderMissing_ExitsWithCode2AndSaysWhy()
    {
        var missing = Path.Combine(Path.GetTempPath(), "to-missing-" + Guid.NewGuid().ToString("N"));

        var (exit, stdout, stderr) = await RunAsync("serve", "--workspace", missing);

        exit.ShouldBe(2);
        stdout.ShouldBeEmpty();
        stderr.ShouldContain($"The workspace folder '{missing}' does not exist.");
    }

    [Fact]
    public async Task Serve_UnknownLogLevel_IsRefusedNamingTheAllowedValues()
    {
        using var workspace = new TemporaryDirectory();

        var (exit, _, stderr) = await RunAsync("--workspace", workspace.Path, "--log-level", "loud");

        exit.ShouldNotBe(0);
        stderr.ShouldContain("loud");
        stderr.ShouldContain("information");
    }

    [Theory]
    [InlineData("--worker-path", "--worker-path does not apply to --http.", "--http", "--worker-path", "/opt/task-orchestrator")]
    [InlineData("--no-supervisor", "--no-supervisor does not apply to --http: serve --http always runs in this one process without a supervisor. Drop --no-supervisor.", "--http", "--no-supervisor")]
    [InlineData("--worker-path", "--worker-path does not apply to --no-supervisor.", "--no-supervisor", "--worker-path", "/opt/task-orchestrator")]
    [InlineData("--urls", "--urls applies to --http only; add --http to serve over HTTP.", "--urls", "http://127.0.0.1:0")]
    public async Task Serve_OptionTheModeWouldIgnore_ExitsWithCode2NamingItAndStartsNothing(string option, string message, params string[] arguments)
    {
        using var workspace = new TemporaryDirectory();

        var (exit, stdout, stderr) = await RunAsync(["serve", "--workspace", workspace.Path, .. arguments]);

        exit.ShouldBe(2);
        stdout.ShouldBeEmpty();
        stderr.ShouldContain($"task-orchestrator: {message}");
        stderr.ShouldContain(option);
        Directory.Exists(Path.Combine(workspace.Path, ".task-orchestrator")).ShouldBeFalse("nothing was started, so nothing was written");
    }

    internal static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(ServerProcess.ServerDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }
}

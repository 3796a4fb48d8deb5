using System.Diagnostics;
using Shouldly;
using TaskOrchestrator.Server.Http.Security;

namespace TaskOrchestrator.Server.Tests.Http;

public sealed class TokenCommandTests
{
    [Fact]
    public async Task Token_PrintsANewTokenAndItsSha256Hash()
    {
        var (exit, stdout, stderr) = await RunAsync(null, "token");

        exit.ShouldBe(0);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Length.ShouldBe(2);
        lines[0].ShouldMatch("^token: +to_[A-Za-z0-9_-]{43}$");
        var token = lines[0]["token:".Length..].Trim();
        lines[1].ShouldBe($"sha256: {TokenHash.Of(token)}");
        stderr.ShouldContain("TASK_ORCHESTRATOR__Http__TokenHashes__0=<sha256>");
    }

    [Fact]
    public async Task TokenStdin_HashesTheTokenReadFromStandardInput()
    {
        var (exit, stdout, _) = await RunAsync("to_example-token\n", "token", "--stdin");

        exit.ShouldBe(0);
        stdout.Trim().ShouldBe(TokenHash.Of("to_example-token"));
        stdout.Trim().ShouldMatch("^[0-9a-f]{64}$");
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string? input, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(ServerProcess.ServerDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }
}

using System.Text;
using Shouldly;
using TaskOrchestrator.Server.Hosting;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Server.Tests.Supervision;

/// <summary>glibc's malloc arenas are capped in the worker (by its environment) and in a process started without the cap (by mallopt).</summary>
public sealed class MallocArenaTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Supervisor_StartsItsWorkerWithTheArenaCap()
    {
        using var workspace = new TemporaryDirectory();
        await using var server = await ServerProcess.StartInitializedAsync(workspace.Path, Token);

        var pid = await SupervisedServer.WorkerPidAsync(server);

        var environment = Encoding.UTF8.GetString(await File.ReadAllBytesAsync($"/proc/{pid}/environ", Token)).Split('\0');
        environment.ShouldContain($"{MallocArenas.Variable}={MallocArenas.Cap}");
    }

    [Fact]
    public async Task Supervisor_KeepsACapTheClientSet()
    {
        using var workspace = new TemporaryDirectory();
        await using var server = await ServerProcess.StartInitializedAsync(new Dictionary<string, string> { [MallocArenas.Variable] = "4" }, Token, "--workspace", workspace.Path, "--log-level", "warning");

        var pid = await SupervisedServer.WorkerPidAsync(server);

        var environment = Encoding.UTF8.GetString(await File.ReadAllBytesAsync($"/proc/{pid}/environ", Token)).Split('\0');
        environment.ShouldContain($"{MallocArenas.Variable}=4");
    }

    [Fact]
    public void LimitThisProcess_WithoutTheVariable_SetsTheCapWithMallopt()
    {
        Assert.SkipWhen(Environment.GetEnvironmentVariable(MallocArenas.Variable) is not null, $"{MallocArenas.Variable} is set for the test process, so the server would keep it.");

        MallocArenas.LimitThisProcess().ShouldBeTrue();
    }
}

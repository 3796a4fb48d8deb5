using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Shouldly;
using TaskOrchestrator.Mcp.Agents;
using TaskOrchestrator.Server.Hosting;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Server.Tests;

public sealed class StrictConfigurationTests
{
    [Fact]
    public void Bind_UnknownKey_RefusedNamingItAndTheKnownSettings_OptionsUntouched()
    {
        var configuration = Configuration(("Agents:HealthyBelow", "0.05"), ("Agents:CircuitCooldwn", "00:01:00"));
        var options = new AgentOptions();

        var refusal = Should.Throw<OptionsValidationException>(() => StrictBinding.Bind(configuration.GetSection(AgentOptions.Section), options));

        refusal.Failures.ShouldHaveSingleItem().ShouldBe(
            "Agents has a setting this server does not know: 'CircuitCooldwn'. The known ones are CircuitCooldown, DegradedBelow, HealthyBelow; fix the spelling or remove it (docs/reference.md lists every setting).");
        options.HealthyBelow.ShouldBe(new AgentOptions().HealthyBelow);
    }

    [Fact]
    public void Bind_ValueThatDoesNotConvert_RefusedNamingTheSection()
    {
        var configuration = Configuration(("Agents:HealthyBelow", "lots"));

        var refusal = Should.Throw<OptionsValidationException>(() => StrictBinding.Bind(configuration.GetSection(AgentOptions.Section), new AgentOptions()));

        var failure = refusal.Failures.ShouldHaveSingleItem();
        failure.ShouldStartWith("Agents: ");
        failure.ShouldContain("'Agents:HealthyBelow'");
    }

    [Fact]
    public void Bind_SubsectionsBoundByOtherOptions_AreNotUnknown()
    {
        var configuration = Configuration(("Storage:Provider", "postgres"), ("Storage:Sqlite:BusyTimeout", "00:00:05"), ("Storage:Postgres:ConnectionString", "Host=db"));
        var options = new StorageOptions();

        StrictBinding.Bind(configuration.GetSection(StorageOptions.Section), options, "Sqlite", "Postgres");

        options.Provider.ShouldBe("postgres");
    }

    [Fact]
    public async Task Serve_WithoutSupervisor_UnknownAgentsKey_RefusesToStartWithExitCode2()
    {
        using var workspace = new TemporaryDirectory();
        var config = Path.Combine(workspace.Path, "orchestrator.json");
        await File.WriteAllTextAsync(config, """{ "Agents": { "LeaseSecond": 30 } }""", TestContext.Current.CancellationToken);

        var (exit, stdout, stderr) = await CommandLineTests.RunAsync("--workspace", workspace.Path, "--no-supervisor", "--config", config);

        exit.ShouldBe(2);
        stdout.ShouldBeEmpty();
        stderr.ShouldContain("Invalid configuration");
        stderr.ShouldContain("Agents has a setting this server does not know: 'LeaseSecond'");
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}

using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace TaskOrchestrator.Server.Doctor;

/// <summary>The .NET runtime this process runs on: the server is built for .NET 10.</summary>
internal static class RuntimeCheck
{
    public const string Name = "runtime";

    private const int RequiredMajor = 10;

    public static DoctorCheck Run() => Evaluate(Environment.Version, RuntimeInformation.FrameworkDescription);

    public static DoctorCheck Evaluate(Version version, string framework)
    {
        var figures = new JsonObject
        {
            ["version"] = version.ToString(),
            ["framework"] = framework,
            ["required_major"] = RequiredMajor,
            ["os"] = RuntimeInformation.OSDescription,
            ["architecture"] = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(),
            ["runtime_directory"] = RuntimeEnvironment.GetRuntimeDirectory(),
        };

        return version.Major == RequiredMajor
            ? DoctorCheck.Ok(Name, $"{framework} on {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}.", figures)
            : DoctorCheck.Critical(
                Name,
                $"This process runs on {framework} ({version}); TaskOrchestrator is built for .NET {RequiredMajor}.x.",
                $"Install the .NET {RequiredMajor} runtime (https://dot.net) and run the server with it; check DOTNET_ROOT and DOTNET_ROLL_FORWARD.",
                figures);
    }
}

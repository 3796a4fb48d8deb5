using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace TaskOrchestrator.Benchmarks;

/// <summary>
/// Micro benchmarks of the hot paths. Run with
/// <c>dotnet run -c Release --project bench/TaskOrchestrator.Benchmarks -- --filter '*'</c>;
/// see docs/PERFORMANCE.md.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        // fsync-bound operations on a shared virtual disk are noisy: medians and P95 say more than means,
        // and a fixed iteration count keeps a full run within minutes on two cores.
        // A --job given on the command line (e.g. --job short or dry) replaces this default.
        var config = DefaultConfig.Instance;
        if (!args.Any(a => a is "--job" or "-j"))
        {
            config = config.AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(15).WithId("Bench"));
        }

        config = config
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(StatisticColumn.Median, StatisticColumn.P95)
            .WithOptions(ConfigOptions.JoinSummary);
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}

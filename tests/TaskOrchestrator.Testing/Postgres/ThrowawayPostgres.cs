using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TaskOrchestrator.Testing.Postgres;

/// <summary>
/// A throwaway PostgreSQL cluster: initdb and pg_ctl in a temporary folder, listening on 127.0.0.1 at a
/// free port with its sockets in that folder, stopped and deleted on dispose. Runs as user
/// <c>postgres</c> when the caller is root, since initdb refuses root. Depends on nothing but the
/// PostgreSQL binaries, so that the test fixtures and the load harness share it (the harness links
/// this file). <see cref="StartAsync"/> returns null, with the reason, where the binaries are missing.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    /// <summary>Overrides where initdb and pg_ctl are looked for.</summary>
    public const string BinFolderVariable = "TASK_ORCHESTRATOR_PG_BIN";

    private readonly string _bin;
    private readonly bool _asPostgresUser;

    private ThrowawayPostgres(string bin, string folder, bool asPostgresUser)
    {
        _bin = bin;
        Folder = folder;
        _asPostgresUser = asPostgresUser;
    }

    /// <summary>The cluster's folder: data directory, sockets and the server log.</summary>
    public string Folder { get; }

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>The server log (server.log in <see cref="Folder"/>).</summary>
    public string LogFile => Path.Combine(Folder, "server.log");

    /// <summary>Why a cluster cannot be started here, or null when the binaries and user are there.</summary>
    public static string? UnavailableReason()
    {
        if (FindBinFolder() is null)
        {
            return $"PostgreSQL's initdb and pg_ctl were not found (looked in ${BinFolderVariable}, /usr/lib/postgresql/*/bin and PATH); install Debian's 'postgresql' package to run these tests.";
        }

        if (Environment.UserName == "root" && !File.ReadAllLines("/etc/passwd").Any(line => line.StartsWith("postgres:", StringComparison.Ordinal)))
        {
            return "The tests run as root, and initdb refuses root, but there is no 'postgres' user to run the cluster as.";
        }

        return null;
    }

    /// <summary>
    /// Creates and starts a cluster with <paramref name="settings"/> passed to the server as <c>-c</c>
    /// options (such as <c>fsync=off</c>); null when <see cref="UnavailableReason"/> says why not.
    /// </summary>
    public static async Task<ThrowawayPostgres?> StartAsync(IReadOnlyList<string> settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (UnavailableReason() is not null)
        {
            return null;
        }

        var asPostgres = Environment.UserName == "root";
        var cluster = new ThrowawayPostgres(FindBinFolder()!, Directory.CreateTempSubdirectory("to-pg-").FullName, asPostgres);
        try
        {
            if (asPostgres)
            {
                await RunAsync("chown", ["postgres:postgres", cluster.Folder], asPostgres: false, cancellationToken);
            }

            var data = Path.Combine(cluster.Folder, "data");
            await cluster.RunToolAsync("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"], cancellationToken);
            cluster.Port = FreePort();
            var options = string.Create(CultureInfo.InvariantCulture, $"-p {cluster.Port} -k {cluster.Folder} -c listen_addresses=127.0.0.1")
                + string.Concat(settings.Select(s => " -c " + s));
            await cluster.RunToolAsync("pg_ctl", ["-D", data, "-l", cluster.LogFile, "-o", options, "-w", "-t", "60", "start"], cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an empty database.</summary>
    public Task CreateDatabaseAsync(string name, CancellationToken cancellationToken) =>
        RunToolAsync("createdb", ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", name], cancellationToken);

    /// <summary>The Npgsql connection string of database <paramref name="database"/> (trust authentication: the password is ignored).</summary>
    public string ConnectionString(string database) =>
        string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Database={database};Username=postgres;Password=not-needed-trust-auth");

    /// <summary>Stops the cluster at once and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Port != 0)
            {
                await RunToolAsync("pg_ctl", ["-D", Path.Combine(Folder, "data"), "-m", "immediate", "-w", "stop"], CancellationToken.None);
            }
        }
        finally
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    private Task RunToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunAsync(Path.Combine(_bin, tool), arguments, _asPostgresUser, cancellationToken);

    private static string? FindBinFolder()
    {
        static bool Has(string folder) => File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl"));

        if (Environment.GetEnvironmentVariable(BinFolderVariable) is { Length: > 0 } configured)
        {
            return Has(configured) ? configured : null;
        }

        // Debian's packages put the server binaries in a versioned folder, not on PATH: prefer the newest.
        const string debian = "/usr/lib/postgresql";
        if (Directory.Exists(debian))
        {
            var versioned = Directory.GetDirectories(debian)
                .Select(dir => (Dir: Path.Combine(dir, "bin"), Version: int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0))
                .Where(x => Has(x.Dir))
                .OrderByDescending(x => x.Version)
                .Select(x => x.Dir)
                .FirstOrDefault();
            if (versioned is not null)
            {
                return versioned;
            }
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(Has);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, bool asPostgres, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgres)
        {
            foreach (var prefix in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(prefix);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {string.Join(' ', arguments)}' exited with {process.ExitCode}: {await error}{await output}");
        }
    }
}

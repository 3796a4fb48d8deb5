using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

[assembly: AssemblyFixture(typeof(TaskOrchestrator.Storage.Postgres.Tests.PostgresCluster))]

namespace TaskOrchestrator.Storage.Postgres.Tests;

/// <summary>
/// A throwaway PostgreSQL cluster for this test run: initdb and pg_ctl in a temporary folder, listening
/// on 127.0.0.1 at a free port with its sockets in that folder, stopped and deleted at the end. Run as
/// user <c>postgres</c> when the tests run as root, since initdb refuses root. Where the binaries are
/// missing the cluster is unavailable and every test that needs it is reported skipped with the reason.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    /// <summary>Overrides where initdb and pg_ctl are looked for.</summary>
    public const string BinFolderVariable = "TASK_ORCHESTRATOR_PG_BIN";

    private readonly Dictionary<string, string> _databases = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _databaseGate = new(1, 1);
    private string? _folder;
    private string? _bin;
    private bool _asPostgresUser;
    private int _port;

    /// <summary>Why the cluster is not available, or null when it runs.</summary>
    public string? UnavailableReason { get; private set; }

    public async ValueTask InitializeAsync()
    {
        _bin = FindBinFolder();
        if (_bin is null)
        {
            UnavailableReason = $"PostgreSQL's initdb and pg_ctl were not found (looked in ${BinFolderVariable}, /usr/lib/postgresql/*/bin and PATH); install Debian's 'postgresql' package to run these tests.";
            return;
        }

        _asPostgresUser = Environment.UserName == "root";
        if (_asPostgresUser && !File.ReadAllLines("/etc/passwd").Any(line => line.StartsWith("postgres:", StringComparison.Ordinal)))
        {
            UnavailableReason = "The tests run as root, and initdb refuses root, but there is no 'postgres' user to run the cluster as.";
            return;
        }

        _folder = Directory.CreateTempSubdirectory("to-pg-").FullName;
        if (_asPostgresUser)
        {
            await RunAsync("chown", ["postgres:postgres", _folder], asPostgres: false);
        }

        var data = Path.Combine(_folder, "data");
        await RunAsync(Path.Combine(_bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"], _asPostgresUser);
        _port = FreePort();
        string options = string.Create(CultureInfo.InvariantCulture, $"-p {_port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200");
        await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(_folder, "server.log"), "-o", options, "-w", "-t", "60", "start"], _asPostgresUser);
    }

    public async ValueTask DisposeAsync()
    {
        if (_folder is null)
        {
            return;
        }

        try
        {
            if (_port != 0)
            {
                NpgsqlConnection.ClearAllPools();
                await RunAsync(Path.Combine(_bin!, "pg_ctl"), ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"], _asPostgresUser);
            }
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
            _databaseGate.Dispose();
        }
    }

    /// <summary>Skips the calling test, with the reason, when the cluster is not available.</summary>
    public void SkipIfUnavailable()
    {
        if (UnavailableReason is not null)
        {
            Assert.Skip(UnavailableReason);
        }
    }

    /// <summary>The connection string of database <paramref name="name"/>, created empty on first use in this run.</summary>
    public async Task<string> DatabaseAsync(string name)
    {
        SkipIfUnavailable();
        await _databaseGate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (_databases.TryGetValue(name, out var existing))
            {
                return existing;
            }

            await using (var admin = new NpgsqlConnection(ConnectionString("postgres")))
            {
                await admin.OpenAsync(TestContext.Current.CancellationToken);
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
                await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }

            return _databases[name] = ConnectionString(name);
        }
        finally
        {
            _databaseGate.Release();
        }
    }

    private string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = _port,
        Database = database,
        Username = "postgres",
        Password = "not-needed-trust-auth",
    }.ToString();

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

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, bool asPostgres)
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
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {string.Join(' ', arguments)}' exited with {process.ExitCode}: {await error}{await output}");
        }
    }
}

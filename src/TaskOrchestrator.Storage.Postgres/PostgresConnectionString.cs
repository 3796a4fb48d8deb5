using Npgsql;
using TaskOrchestrator.Core.Errors;

namespace TaskOrchestrator.Storage.Postgres;

/// <summary>Checks a connection string and describes it without its secrets.</summary>
public static class PostgresConnectionString
{
    /// <summary>Returns <paramref name="connectionString"/> when Npgsql can parse it; otherwise a clear <c>invalid_argument</c>.</summary>
    public static string Validate(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw Fail.With(
                ErrorCodes.InvalidArgument,
                "The PostgreSQL store was chosen but no connection string was given.",
                "connection_string",
                null,
                "Pass --connection-string \"Host=…;Database=…;Username=…;Password=…\", or set TASK_ORCHESTRATOR_CONNECTION_STRING or Storage:Postgres:ConnectionString.");
        }

        try
        {
            var parsed = new NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrEmpty(parsed.Host))
            {
                throw Fail.With(ErrorCodes.InvalidArgument, $"The PostgreSQL connection string {Describe(parsed)} names no Host.", "connection_string", null,
                    "Add Host=<server name or address> (and Port= when it is not 5432).");
            }

            return connectionString;
        }
        catch (ArgumentException ex)
        {
            // The driver's message names the offending keyword; the string itself may hold a password, so it is not echoed.
            throw Fail.With(ErrorCodes.InvalidArgument, $"The PostgreSQL connection string cannot be parsed: {ex.Message}", "connection_string", null,
                "Use the Npgsql form Host=…;Port=…;Database=…;Username=…;Password=… (see docs/reference.md).");
        }
    }

    /// <summary>Server, port, database and user, never the password: safe for logs, status and errors.</summary>
    public static string Describe(string connectionString) => Describe(new NpgsqlConnectionStringBuilder(connectionString));

    /// <summary>Server, port, database and user of a parsed connection string.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var user = string.IsNullOrEmpty(settings.Username) ? string.Empty : settings.Username + "@";
        var database = string.IsNullOrEmpty(settings.Database) ? "(default database)" : settings.Database;
        return $"postgres://{user}{settings.Host}:{settings.Port}/{database}";
    }
}

using System.Data.Common;
using System.Text;

namespace TaskOrchestrator.Core.Storage.Relational;

/// <summary>
/// What the shared statement builders need to know about a backend's SQL: how parameters are written and
/// bound, how a list is matched, how full-text search is expressed, and whether one database holds many
/// workspaces. Everything else in the shared SQL is written once, in the dialect both databases accept.
/// </summary>
internal abstract class SqlDialect
{
    /// <summary>The marker that starts a parameter in SQL text: <c>$</c> for SQLite, <c>@</c> for PostgreSQL.</summary>
    public abstract char ParameterPrefix { get; }

    /// <summary>
    /// True when one database holds many workspaces, so that every join between rows also matches
    /// <c>workspace_id</c> (PostgreSQL); false when a database is one workspace and such conditions would
    /// only cost the planner its best index (SQLite).
    /// </summary>
    public abstract bool SharesDatabaseBetweenWorkspaces { get; }

    /// <summary>
    /// The condition that the task aliased <c>t</c> matches the search bound as <c>match</c>, for a backend
    /// whose search is one more filter; null for a backend that drives a search from its own index.
    /// </summary>
    public abstract string? SearchCondition { get; }

    /// <summary>The parameter <paramref name="name"/> as written in SQL text.</summary>
    public string Parameter(string name) => ParameterPrefix + name;

    /// <summary>The parameter as written in SQL text where the type must be spelled out (a value compared with nothing typed).</summary>
    public abstract string TypedParameter(string name, StoredType type);

    /// <summary>The name under which the driver binds <paramref name="name"/>.</summary>
    public abstract string BoundName(string name);

    /// <summary>Binds <paramref name="value"/> (null for NULL) under <paramref name="boundName"/>, from <see cref="BoundName"/>.</summary>
    public abstract void Bind(DbCommand command, string boundName, object? value, StoredType type);

    /// <summary>Appends " AND <paramref name="column"/> is one of the <paramref name="count"/> values bound by a BindList of <paramref name="name"/>".</summary>
    public abstract void AppendInList(StringBuilder sql, string column, string name, int count);

    /// <summary>Binds a list matched by <see cref="AppendInList"/>.</summary>
    public abstract void BindList(DbCommand command, string name, IReadOnlyList<string> values);

    /// <inheritdoc cref="BindList(DbCommand, string, IReadOnlyList{string})"/>
    public abstract void BindList(DbCommand command, string name, IReadOnlyList<int> values);

    /// <summary>The search words as the backend's full-text query text, bound as <c>match</c>.</summary>
    public abstract string SearchQuery(SearchWords words);
}

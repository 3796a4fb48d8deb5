namespace TaskOrchestrator.Core.Storage.Relational;

/// <summary>One embedded <c>NNNN_name.sql</c> migration: its version (the number), its name and its SQL.</summary>
internal sealed record MigrationScript(int Version, string Name, string Sql);

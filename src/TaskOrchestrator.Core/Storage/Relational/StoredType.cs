namespace TaskOrchestrator.Core.Storage.Relational;

/// <summary>The column types the shared statements bind, for drivers that send typed parameters (a typed null above all).</summary>
internal enum StoredType
{
    Text,
    Int32,
    Int64,
    Boolean,
}

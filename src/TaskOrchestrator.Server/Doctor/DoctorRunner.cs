namespace TaskOrchestrator.Server.Doctor;

/// <summary>Runs every doctor check once, in dependency order, and reports them in display order.</summary>
internal static class DoctorRunner
{
    public static DoctorReport Run(string? workspaceOption, string? configFile)
    {
        var runtime = RuntimeCheck.Run();
        var dependencies = DependenciesCheck.Run();
        var (workspace, root) = WorkspaceCheck.Run(workspaceOption);
        var configuration = ConfigurationCheck.Run(workspaceOption, configFile);
        var (database, schema) = PostgresDatabaseCheck.Selected(configFile) is { } postgres ? PostgresDatabaseCheck.Run(postgres, root) : DatabaseCheck.Run(root, configuration.Sqlite.BusyTimeout);
        var disk = DiskSpaceCheck.Run(root, configuration.Health);
        return new DoctorReport([runtime, workspace, database, schema, disk, configuration.Check, dependencies]);
    }
}

using Shouldly;
using TaskOrchestrator.Core.Errors;

namespace TaskOrchestrator.Storage.Postgres.Tests;

public sealed class PostgresConnectionStringTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_Missing_ThrowsInvalidArgumentNamingConnectionString(string? connectionString)
    {
        var ex = Should.Throw<OrchestratorException>(() => PostgresConnectionString.Validate(connectionString));

        ex.Error.Code.ShouldBe(ErrorCodes.InvalidArgument);
        ex.Error.Field.ShouldBe("connection_string");
        ex.Error.Hint!.ShouldContain("TASK_ORCHESTRATOR_CONNECTION_STRING");
    }

    [Fact]
    public void Validate_UnknownKeyword_ThrowsInvalidArgumentWithoutEchoingThePassword()
    {
        var ex = Should.Throw<OrchestratorException>(() => PostgresConnectionString.Validate("Host=db;Password=s3cret;Colour=blue"));

        ex.Error.Code.ShouldBe(ErrorCodes.InvalidArgument);
        ex.Error.Message.ShouldNotContain("s3cret");
    }

    [Fact]
    public void Validate_NoHost_ThrowsInvalidArgument()
    {
        var ex = Should.Throw<OrchestratorException>(() => PostgresConnectionString.Validate("Database=orchestrator;Password=s3cret"));

        ex.Error.Field.ShouldBe("connection_string");
        ex.Error.Message.ShouldNotContain("s3cret");
    }

    [Fact]
    public void Describe_FullConnectionString_NamesServerDatabaseAndUserButNeverThePassword()
    {
        PostgresConnectionString.Describe("Host=db.internal;Port=5433;Database=orchestrator;Username=team;Password=s3cret")
            .ShouldBe("postgres://team@db.internal:5433/orchestrator");
    }

    [Fact]
    public void Constructor_NoConnectionString_RefusesClearly()
    {
        var ex = Should.Throw<OrchestratorException>(() => new PostgresStoreProvider(new PostgresStoreOptions(), TimeProvider.System));

        ex.Error.Code.ShouldBe(ErrorCodes.InvalidArgument);
    }
}

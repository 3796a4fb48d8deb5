using System.CommandLine;
using TaskOrchestrator.Server.Http.Security;

namespace TaskOrchestrator.Server.Cli;

/// <summary>
/// <c>task-orchestrator token [--stdin]</c>: creates a bearer token for <c>serve --http</c> and prints it
/// with the SHA-256 hash to configure (the server keeps only the hash); with --stdin, hashes a token read
/// from standard input instead.
/// </summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var stdin = new Option<bool>("--stdin")
        {
            Description = "Hash a token read from standard input instead of creating one.",
        };
        var command = new Command("token", "Create a bearer token for serve --http and print it with the SHA-256 hash to put in Http:TokenHashes (the server is configured with the hash only; give the token to the client).")
        {
            stdin,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(stdin))
            {
                var read = (await Console.In.ReadToEndAsync(cancellationToken)).Trim();
                if (read.Length == 0)
                {
                    await Console.Error.WriteLineAsync("task-orchestrator token: standard input is empty; pipe the token in, e.g. printf %s \"$TOKEN\" | task-orchestrator token --stdin.");
                    return 2;
                }

                await Console.Out.WriteLineAsync(TokenHash.Of(read));
                return 0;
            }

            var token = TokenHash.NewToken();
            await Console.Out.WriteLineAsync($"token:  {token}");
            await Console.Out.WriteLineAsync($"sha256: {TokenHash.Of(token)}");
            await Console.Error.WriteLineAsync("Give the token to the client ('Authorization: Bearer <token>'); configure the server with the hash only, e.g. TASK_ORCHESTRATOR__Http__TokenHashes__0=<sha256>. The token is not stored anywhere: keep it now.");
            return 0;
        });
        return command;
    }
}

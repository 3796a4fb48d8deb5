namespace TaskOrchestrator.Server.Http.Security;

/// <summary>What <see cref="TokenAuthenticator"/> made of a request's credentials.</summary>
internal enum AuthenticationOutcome
{
    Accepted,
    Missing,
    Invalid,
}

namespace TaskOrchestrator.Server.Doctor;

/// <summary>How a doctor check came out, from best to worst.</summary>
internal enum DoctorStatus
{
    /// <summary>Nothing to do.</summary>
    Ok,

    /// <summary>Serving works, but something deserves attention.</summary>
    Warning,

    /// <summary>Serving will fail or lose data until this is fixed.</summary>
    Critical,
}

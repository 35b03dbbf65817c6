using VirtualBranch.Host.Cases;

namespace VirtualBranch.Host.Workbench;

/// <summary>What the teller's and the customer's pages read and join: the views of a case, the assignment queue and the video room.</summary>
public static class WorkbenchSetup
{
    public static void AddWorkbench(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<VideoRooms>();
        builder.Services.AddSingleton<RoomRelay>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RoomRelay>());
    }

    public static void MapWorkbench(this WebApplication app)
    {
        app.MapAssignmentApi();
        app.MapCustomerView();
        app.MapTellerView();
        app.MapCaseChangesApi();
        app.Map("/api/cases/{id:guid}/room", (Guid id, HttpContext http, VideoRooms rooms, CaseCommandService cases) => rooms.JoinAsync(id, http, cases))
            .WithTags("Workbench").RequireAuthorization().ExcludeFromDescription();
    }
}

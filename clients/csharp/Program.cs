// Uses a few generated DTOs as a C# client would, and checks the markers, attributes and
// member types that ServiceStack's C# clients rely on. Prints one line per failed check and a
// closing count; exits 1 when any check failed.

using System;
using System.Collections.Generic;
using ServiceStack;
using Voice.Api;
using Voice.Api.Flows.Data;
using Voice.Api.Integrations;

public static class Program
{
    static int passed;
    static int failed;

    static void Check(bool condition, string what)
    {
        if (condition)
        {
            passed++;
        }
        else
        {
            failed++;
            Console.WriteLine("FAILED: " + what);
        }
    }

    public static int Main()
    {
        var request = new NewIntegration { AccountId = "x", Type = IntegrationTypes.Zoho, Name = "Zoho" };
        Check(request.AccountId == "x", "NewIntegration.AccountId keeps its value");
        Check(request is IReturn<IntegrationInfo>, "NewIntegration implements IReturn<IntegrationInfo>");
        Check(request is IPost, "NewIntegration implements IPost");

        var route = (RouteAttribute)Attribute.GetCustomAttribute(typeof(NewIntegration), typeof(RouteAttribute));
        Check(route != null && route.Path == "/integrations" && route.Verbs == "POST",
            "NewIntegration has [Route(\"/integrations\", \"POST\")]");
        var api = (ApiAttribute)Attribute.GetCustomAttribute(typeof(NewIntegration), typeof(ApiAttribute));
        Check(api != null && api.Description == "Creates a new integration", "NewIntegration has its [Api] description");

        var list = new ListIntegrations { Page = 2, ShallowParent = true };
        Check(list is ListRequest<IntegrationInfo>, "ListIntegrations inherits ListRequest<IntegrationInfo>");
        Check(list is IReturn<ListResponse<IntegrationInfo>>, "ListIntegrations returns ListResponse<IntegrationInfo>");
        Check(list is IGet, "ListIntegrations implements IGet");
        Check(list.CustomerIds != null, "ListIntegrations initializes its lists");
        Check(typeof(ListIntegrations).GetProperty("ShallowParent").PropertyType == typeof(bool?),
            "ListIntegrations.ShallowParent is bool?");

        Check(new DeleteIntegration() is IReturnVoid, "DeleteIntegration implements IReturnVoid");
        Check(new DeleteIntegration() is IDelete, "DeleteIntegration implements IDelete");

        var settings = new Struct { { "ClientId", new Value { StringValue = "1000.X" } } };
        Check(settings is Dictionary<string, Value>, "Struct is a Dictionary<string, Value>");
        Check(settings["ClientId"].StringValue == "1000.X", "Struct keeps its entries");

        var inner = new DataType { TypeName = "Inner" };
        inner.Fields.Add(new DataField { Id = "Leaf", Type = ValueTypes.String });
        var field = new DataField { Id = "Outer", StructType = inner };
        Check(field.StructType.Fields[0].Id == "Leaf", "DataType and DataField nest recursively");

        var info = new IntegrationInfo { Id = "i", IsAuthorized = true, Status = IntegrationStatuses.OK };
        Check(info is EntityInfo && info.Id == "i", "IntegrationInfo inherits EntityInfo's members");
        Check(typeof(IntegrationInfo).GetProperty("IsAuthorized").PropertyType == typeof(bool),
            "IntegrationInfo.IsAuthorized is bool");
        Check(typeof(ListResponse<IntegrationInfo>).GetProperty("Items").PropertyType == typeof(List<IntegrationInfo>),
            "ListResponse<IntegrationInfo>.Items is List<IntegrationInfo>");

        Console.WriteLine("csharp: " + passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }
}

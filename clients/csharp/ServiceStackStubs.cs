// Stand-ins for the ServiceStack types that generated C# DTOs refer to, so the DTOs compile
// without the ServiceStack.Client NuGet package, which Debian's packages do not carry. Each
// type has the members the generated attributes and markers use.

using System;
using System.Collections.Generic;

namespace ServiceStack
{
    /// <summary>A route of a request DTO: its path and, optionally, comma-separated verbs.</summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
    public class RouteAttribute : Attribute
    {
        public RouteAttribute(string path) { Path = path; }

        public RouteAttribute(string path, string verbs)
        {
            Path = path;
            Verbs = verbs;
        }

        public string Path { get; set; }
        public string Verbs { get; set; }
    }

    /// <summary>The description of a DTO.</summary>
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Interface, Inherited = true)]
    public class ApiAttribute : Attribute
    {
        public ApiAttribute() { }

        public ApiAttribute(string description) { Description = description; }

        public string Description { get; set; }
    }

    /// <summary>The description of a DTO member.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = true)]
    public class ApiMemberAttribute : Attribute
    {
        public string Name { get; set; }
        public string Description { get; set; }
        public string DataType { get; set; }
        public string ParameterType { get; set; }
        public bool IsRequired { get; set; }
    }

    public interface IReturn { }
    public interface IReturn<T> : IReturn { }
    public interface IReturnVoid : IReturn { }

    public interface IVerb { }
    public interface IGet : IVerb { }
    public interface IPost : IVerb { }
    public interface IPut : IVerb { }
    public interface IPatch : IVerb { }
    public interface IDelete : IVerb { }

    /// <summary>The error envelope of a failed request.</summary>
    public class ResponseStatus
    {
        public string ErrorCode { get; set; }
        public string Message { get; set; }
        public string StackTrace { get; set; }
        public List<ResponseError> Errors { get; set; }
        public Dictionary<string, string> Meta { get; set; }
    }

    /// <summary>One field's validation error.</summary>
    public class ResponseError
    {
        public string ErrorCode { get; set; }
        public string FieldName { get; set; }
        public string Message { get; set; }
        public Dictionary<string, string> Meta { get; set; }
    }
}

namespace ServiceStack.DataAnnotations
{
    // Generated files import this namespace for attributes such as [AutoIncrement]; the DTOs
    // here use none of them, so one placeholder keeps the namespace defined.
    internal static class Placeholder { }
}

/// The greeting service, against the generated code: one implementation for both servers.
package struct Greeter: APIProtocol {
    package init() {}

    package func greet(_ input: Operations.greet.Input) async throws -> Operations.greet.Output {
        .ok(.init(body: .json(.init(message: Self.message(name: input.path.name, greeting: input.query.greeting)))))
    }

    /// The message, also answered by the servers' hand-written routes.
    package static func message(name: String, greeting: String?) -> String {
        "\(greeting ?? "Hello"), \(name)!"
    }
}

import NIOCore
import WireInputs

/// `WireCount SIDE INPUT N`: parses input number INPUT on SIDE (aio, aioChannel, nio) N times,
/// for `valgrind --tool=callgrind` to count instructions (see wire-instructions.sh).
@main
enum WireCount {
    static func main() throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 4, let side = Side.allCases.first(where: { "\($0)" == arguments[1] }),
            let index = Int(arguments[2]), let count = Int(arguments[3])
        else {
            print("usage: WireCount aio|aioChannel|nio INPUT-INDEX COUNT")
            return
        }
        let input = Inputs.all[index]
        let bytes = ByteBuffer(string: input.text)
        let runner = try side.makeRunner()
        var total = 0
        for _ in 0..<count {
            total += try runner.parse(bytes)
        }
        try runner.finish()
        precondition(total == count * input.requests)
    }
}

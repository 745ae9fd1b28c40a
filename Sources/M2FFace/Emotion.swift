/// The eight emotion labels of M2F-D: the dataset labels clips with them and the generator takes one as a style.
public enum Emotion: String, CaseIterable, Codable, Sendable {
    case neutral, happy, sad, angry, surprised, fearful, disgusted, contempt
}

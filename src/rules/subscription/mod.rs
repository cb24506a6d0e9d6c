//! ER1xx: subscriptions (facts F1.x).

mod malformed_subscription_id;
mod missing_subscription_id;
mod resource_outside_subscription;

pub use malformed_subscription_id::MalformedSubscriptionId;
pub use missing_subscription_id::MissingSubscriptionId;
pub use resource_outside_subscription::ResourceOutsideSubscription;

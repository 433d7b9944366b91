import { Type } from 'typebox';
import { DateTime } from '../../platform/http/schemas.js';

export const SmallProfilePicture = Type.Object({
  id: Type.Integer(), name: Type.String(), small: Type.String(), medium: Type.String(),
});

export const SmallUser = Type.Object({ id: Type.Integer(), username: Type.String(), profile_picture: SmallProfilePicture });

export const Me = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  is_guest: Type.Boolean(),
  created_at: DateTime,
  profile_picture: SmallProfilePicture,
  accept_friend_request: Type.Boolean(),
  accept_chat_from: Type.String({ enum: ['none', 'friends_only', 'everyone'] }),
  trophies: Type.Integer(),
  notifications: Type.Object({ friend_requests: Type.Integer(), chats: Type.Integer() }),
  is_online: Type.Boolean(),
  last_online: DateTime,
});
